/**
 * delay since: first, the forwarding stub's one upstream transaction: every query for a name and
 * type asked meanwhile is answered at the same moment, counted from the first.
 */
import * as packet from 'dns-packet';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { serve } from '../helpers/server.js';
import { query } from '../helpers/wire.js';

async function ask(port: number, id: number): Promise<{ reply: Promise<{ id: number; at: number }> }> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const reply = once(socket, 'message').then(([msg]) => {
    socket.close();
    return { id: packet.decode(msg as Buffer).id ?? -1, at: performance.now() };
  });
  socket.send(query('app.example.test', 'A', id), port, '127.0.0.1');
  // Wrapped: an async function returning the bare promise would wait for the reply itself.
  return { reply };
}

t.test('queries asked 0, 150 and 300 ms in are all answered about 400 ms after the first', async (t) => {
  const s = await serve(t, { rules: [{ action: 'delay', ms: 400, since: 'first' }] });
  const replies = [(await ask(s.target.port, 1)).reply];
  await sleep(150);
  replies.push((await ask(s.target.port, 2)).reply);
  await sleep(150);
  replies.push((await ask(s.target.port, 3)).reply);
  const got = await Promise.all(replies);
  t.same(got.map((g) => g.id), [1, 2, 3], 'each on its own socket, with its own ID');
  // Judged by the server's own clock, so a loaded machine that delays our sends changes the
  // numbers but not the rule: each query waits what is left of 400 ms since the first.
  const q = s.queries();
  const first = q[0]?.time ?? 0;
  for (const [i, x] of q.entries()) {
    const left = Math.max(0, 400 - (x.time - first));
    t.ok(Math.abs(x.delayMs - left) <= 1, `query ${i + 1}, ${(x.time - first).toFixed(0)} ms after the first, waits ${x.delayMs} ms: what is left of 400 (${left.toFixed(0)})`);
    t.ok((x.response?.sentAt ?? 0) - first >= Math.min(400, x.time - first + x.delayMs) - 1, `reply ${i + 1} left no earlier than that`);
  }
  // Those that came while the first was still waiting leave with it (a late timer delays them all
  // alike), not each 400 ms after its own arrival, which would spread them as far as they came.
  const waiting = q.filter((x) => x.time - first < 400);
  const asked = (waiting.at(-1)?.time ?? 0) - first;
  const sent = waiting.map((x) => x.response?.sentAt ?? 0);
  t.ok(waiting.length >= 2, `${waiting.length} queries came within the first's 400 ms`);
  t.ok(Math.max(...sent) - Math.min(...sent) < asked / 2, `they left together (within ${(Math.max(...sent) - Math.min(...sent)).toFixed(0)} ms), though asked ${asked.toFixed(0)} ms apart`);
});

t.test('after the counters reset (a new command), the clock starts again; the default counts from each query', async (t) => {
  const s = await serve(t, { rules: [{ action: 'delay', ms: 200, since: 'first' }] });
  await (await ask(s.target.port, 1)).reply;
  s.resetCounters();
  const start = performance.now();
  const again = await (await ask(s.target.port, 2)).reply;
  t.ok(again.at - start >= 180, 'a fresh first query waits the full delay');
  const plain = await serve(t, { rules: [{ action: 'delay', ms: 200 }] });
  const p1 = (await ask(plain.target.port, 1)).reply;
  await sleep(150);
  const t2 = performance.now();
  const p2 = (await ask(plain.target.port, 2)).reply;
  const [, second] = await Promise.all([p1, p2]);
  t.ok(second.at - t2 >= 180, 'since: query (the default) waits the full delay for each');
});
