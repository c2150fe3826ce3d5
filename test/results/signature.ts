import t from 'tap';
import { compareSignatures, normaliseError, sameTime, signatureOf } from '../../src/results/signature.js';
import type { CellResult } from '../../src/results/model.js';
import type { QueryRecord } from '../../src/dns/query-log.js';
import { cellResult, outcome } from '../helpers/fixtures.js';

const q = (qtype: string, over: Partial<QueryRecord> = {}): QueryRecord => ({
  seq: 1, time: 1, transport: 'udp', client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 }, length: 40,
  qname: 'app.example.test', qtype, edns: { udpSize: 1232, version: 0, do: false, options: [] }, rule: -1, action: 'answer', matched: [], delayMs: 0, response: null, ...over,
});

function cell(over: (c: CellResult) => void = () => {}): CellResult {
  const c = cellResult('s:go1.27.4:cgo=0:netdns=default', 'pass');
  c.lookups = [outcome({ addrs: ['192.0.2.10', '2001:db8::10'], elapsedMs: 12 })];
  c.queries = [[q('A'), q('AAAA')]];
  over(c);
  return c;
}

t.test('the same behaviour gives the same signature, whatever varies by chance', async (t) => {
  const a = cell();
  const b = cell((c) => {
    c.lookups[0]!.elapsedMs = 180;
    c.queries = [[q('AAAA', { client: { address: '127.0.0.1', port: 51000 } }), q('A')]];
    c.verdict = 'fail';
  });
  t.same(compareSignatures(signatureOf(a), signatureOf(b)), [], 'ports, order, quick times and the verdict are not behaviour');
});

t.test('each field of the behaviour is compared', async (t) => {
  const a = signatureOf(cell());
  const fields = (b: CellResult) => compareSignatures(a, signatureOf(b)).map((c) => c.field);
  t.same(fields(cell((c) => (c.lookups = [outcome({ ok: false, addrs: [], error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving', isTemporary: true })]))), ['outcome', 'error']);
  t.same(fields(cell((c) => (c.lookups = [outcome({ addrs: ['192.0.2.10'] })]))), ['outcome'], 'losing the IPv6 address');
  t.same(fields(cell((c) => (c.lookups[0]!.declaredPath = 'cgo'))), ['path']);
  t.same(fields(cell((c) => (c.observed = { path: 'glibc', evidence: [], disagrees: true }))), ['path']);
  t.same(fields(cell((c) => c.queries[0]!.push(q('A'), q('AAAA')))), ['wire'], 'one more round of queries');
  t.same(fields(cell((c) => (c.queries = [[q('A', { edns: null }), q('AAAA', { edns: null })]]))), ['opt']);
  t.same(fields(cell((c) => (c.lookups[0]!.elapsedMs = 1012))), ['ms'], 'a retry second');
});

t.test('times: quick is quick, a retry round is a change, jitter is not', async (t) => {
  t.ok(sameTime(5, 240));
  t.ok(sameTime(5, 940), 'a stall under a second is not a wait');
  t.ok(sameTime(1004, 1230));
  t.ok(sameTime(5000, 5900));
  t.notOk(sameTime(5, 1004));
  t.notOk(sameTime(1004, 2010));
  t.notOk(sameTime(5012, 10_020));
});

t.test('errors lose their ephemeral ports', async (t) => {
  t.equal(normaliseError('lookup a on 127.0.0.53:53: read udp 127.0.0.1:41234->127.0.0.53:53: i/o timeout'), 'lookup a on 127.0.0.53:53: read udp 127.0.0.1:*->127.0.0.53:*: i/o timeout');
  t.equal(normaliseError('dial tcp 127.0.0.1:40123: connection refused'), 'dial tcp 127.0.0.1:*: connection refused');
  t.equal(normaliseError('lookup a on 127.0.0.53:53: server misbehaving'), 'lookup a on 127.0.0.53:53: server misbehaving', 'port 53 stays');
});
