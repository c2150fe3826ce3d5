/** TCP framing: pipelining, byte-at-a-time delivery, and connection handling. */
import t from 'tap';
import { TcpFramer } from '../../src/dns/tcp-framing.js';
import { serve } from '../helpers/server.js';
import { framed, query, sleep, tcpExchange } from '../helpers/wire.js';

t.test('the framer splits and joins messages', async (t) => {
  const f = new TcpFramer();
  const a = framed(Buffer.from('first')), b = framed(Buffer.from('second!'));
  const both = Buffer.concat([a, b]);
  t.same(f.push(both.subarray(0, 1)), []);
  t.same(f.push(both.subarray(1, 4)).map(String), []);
  t.same(f.push(both.subarray(4, 9)).map(String), ['first']);
  t.equal(f.buffered, 2);
  t.same(f.push(both.subarray(9)).map(String), ['second!']);
  t.equal(f.buffered, 0);
  t.same(new TcpFramer().push(Buffer.from([0, 0, 0, 1, 0x41])).map(String), ['', 'A'], 'zero-length and one-byte frames');
});

t.test('two pipelined queries in one write get two answers on that connection', async (t) => {
  const s = await serve(t);
  const { replies } = await tcpExchange(s.target.port, (sock) => {
    sock.write(Buffer.concat([framed(query('app.example.test', 'A', 1)), framed(query('app.example.test', 'AAAA', 2))]));
  }, 2);
  t.same(replies.map((r) => [r.id, r.answers?.[0]?.type, (r.answers?.[0] as { data?: unknown } | undefined)?.data]).sort(), [[1, 'A', '192.0.2.10'], [2, 'AAAA', '2001:db8::10']]);
  const log = s.queries();
  t.equal(log.length, 2);
  t.ok(log[0]?.connection !== undefined && log[0]?.connection === log[1]?.connection, 'one connection number for both');
  t.equal(log[0]?.client.port, log[1]?.client.port);
});

t.test('a query sent one byte at a time is answered', async (t) => {
  const s = await serve(t);
  const bytes = framed(query('www.example.test', 'A', 7));
  const { replies } = await tcpExchange(s.target.port, async (sock) => {
    for (const b of bytes) {
      sock.write(Buffer.from([b]));
      await sleep(2);
    }
  }, 1);
  t.equal(replies[0]?.id, 7);
  t.equal((replies[0]?.answers?.at(-1) as { data?: unknown } | undefined)?.data, '192.0.2.10');
});

t.test('tcp-close closes the connection without a reply; idle connections are closed', async (t) => {
  const s = await serve(t, { rules: [{ match: { qname: 'close.example.test' }, action: 'tcp-close' }], tcpIdleMs: 300 });
  const closed = await tcpExchange(s.target.port, (sock) => void sock.write(framed(query('close.example.test'))), 1);
  t.same([closed.replies.length, closed.closedByServer], [0, true]);
  const idle = await tcpExchange(s.target.port, () => {}, 1, 10_000);
  t.equal(idle.closedByServer, true, 'an idle connection is closed after tcpIdleMs');
  t.equal(s.queries()[0]?.action, 'tcp-close');
});

t.test('close() ends open TCP connections', async (t) => {
  const s = await serve(t);
  const pending = tcpExchange(s.target.port, async () => {
    await sleep(100);
    await s.close();
  }, 1, 5000);
  t.equal((await pending).closedByServer, true);
});
