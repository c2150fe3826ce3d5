/**
 * swap-parallel, the broken gateway of golang/go#35521: the second query of a parallel A/AAAA pair
 * gets the first one's question and records, under its own ID and on its own socket.
 */
import * as packet from 'dns-packet';
import dgram from 'node:dgram';
import { once } from 'node:events';
import t from 'tap';
import { WAIT_OUT_SEC, dig, nodeResolve } from '../helpers/clients.js';
import { serve } from '../helpers/server.js';
import { query } from '../helpers/wire.js';

async function ask(port: number, type: 'A' | 'AAAA', id: number): Promise<{ socket: dgram.Socket; reply: Promise<packet.Packet> }> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const reply = once(socket, 'message').then(([msg]) => packet.decode(msg as Buffer));
  socket.send(query('app.example.test', type, id), port, '127.0.0.1');
  return { socket, reply };
}

t.test('a parallel pair: the second query gets the first one\'s question and answer', async (t) => {
  const s = await serve(t, { rules: [{ action: 'swap-parallel' }] });
  const aaaa = await ask(s.target.port, 'AAAA', 1111);
  const a = await ask(s.target.port, 'A', 2222);
  t.teardown(() => [aaaa.socket, a.socket].forEach((x) => x.close()));
  const [first, second] = await Promise.all([aaaa.reply, a.reply]);
  t.same([first.id, first.questions?.[0]?.type, first.answers?.map((x) => (x as { data: unknown }).data)], [1111, 'AAAA', ['2001:db8::10']], 'the first is answered as asked');
  t.same([second.id, second.questions?.[0]?.type, second.answers?.map((x) => (x as { data: unknown }).data)], [2222, 'AAAA', ['2001:db8::10']], 'the second carries its own ID but the AAAA question and records');
  t.same(s.queries().map((q) => q.action), ['swap-parallel', 'swap-parallel']);
});

t.test('dig sees the mismatch, alone queries are answered, and the window is honoured', async (t) => {
  const s = await serve(t, { rules: [{ action: 'swap-parallel', windowMs: 300 }] });
  const r = await dig(s.target, 'app.example.test', { type: 'AAAA', extra: ['app.example.test', 'A'], timeoutSec: WAIT_OUT_SEC });
  t.match(r.raw, /Question section mismatch: got app.example.test\/AAAA\/IN/, 'dig refuses the swapped reply to its A query');
  await new Promise((r) => setTimeout(r, 400));
  t.same((await nodeResolve(s.target, 'app.example.test')).answers, ['192.0.2.10'], 'an A query with no AAAA near it is answered normally');
  // From a socket of this process, so it lands within the 300 ms however slowly a new dig would start.
  const soon = await ask(s.target.port, 'AAAA', 3333);
  t.teardown(() => soon.socket.close());
  const swapped = await soon.reply;
  t.same([swapped.id, swapped.questions?.[0]?.type], [3333, 'A'], 'an AAAA query within the window of that A is swapped');
  const [a, aaaa] = s.queries().slice(-2);
  t.ok((aaaa?.time ?? 0) - (a?.time ?? 0) < 300, `(it came ${((aaaa?.time ?? 0) - (a?.time ?? 0)).toFixed(0)} ms after the A, by the server's clock)`);
  await new Promise((r) => setTimeout(r, 400));
  const late = await dig(s.target, 'app.example.test', { type: 'AAAA' });
  t.same(late.answers, ['app.example.test. AAAA 2001:db8::10'], 'after the window an AAAA query is answered normally');
});
