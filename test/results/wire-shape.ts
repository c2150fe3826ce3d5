/** The wire shape diff compares, and its one tolerance: upstream counts behind the real systemd-resolved. */
import t from 'tap';
import type { QueryRecord } from '../../src/dns/query-log.js';
import { diffResults } from '../../src/results/diff.js';
import { wireAgrees, wireShape } from '../../src/results/wire-shape.js';
import { cellResult, runResult } from '../helpers/fixtures.js';

const q = (transport: 'udp' | 'tcp', qtype: string): QueryRecord => ({
  seq: 1, time: 0, transport, client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 }, length: 40,
  qtype, rule: -1, action: 'answer', matched: [], delayMs: 0, response: null,
});

function cell(stub: 'real' | 'emulated' | undefined, ...servers: QueryRecord[][]) {
  const c = cellResult(`s:go1.27.4:cgo=0:netdns=go${stub ? `:stub=${stub}` : ''}`, 'pass');
  if (stub) c.axes.stub = stub;
  c.queries = servers;
  return c;
}

t.test('per server: transports, types and counts; a silent server is "-"', async (t) => {
  const c = cell(undefined, [q('udp', 'A'), q('udp', 'AAAA'), q('udp', 'A'), q('tcp', 'A')], []);
  t.same(wireShape(c), ['tcp A=1, udp A=2 AAAA=1', '-']);
  const bad = { ...q('udp', 'A'), malformed: 'QR is set' };
  t.same(wireShape(cell(undefined, [bad])), ['udp malformed=1']);
});

t.test('exact everywhere but behind the real stub', async (t) => {
  const two = [q('udp', 'A'), q('udp', 'A')];
  const one = [q('udp', 'A')];
  t.notOk(wireAgrees(cell(undefined, two), cell(undefined, one)), 'one extra query round is a change');
  t.notOk(wireAgrees(cell('emulated', two), cell('emulated', one)), 'the emulated stub is held to exact counts');
  t.ok(wireAgrees(cell('real', two), cell('real', one)), "resolved's upstream counts may differ");
  t.notOk(wireAgrees(cell('real', one), cell('real', [q('tcp', 'A')])), 'but not the transport');
  t.notOk(wireAgrees(cell('real', one), cell('real', [q('udp', 'AAAA')])), 'nor the types');
  t.notOk(wireAgrees(cell('real', one), cell('real', [])), 'nor whether the upstream was asked at all');
  t.notOk(wireAgrees(cell('real', one, []), cell('real', one, one)), 'nor which upstream');
});

t.test('A and AAAA may trade counts (which of a parallel pair came first is a race), nothing else', async (t) => {
  const pair = (a: number, aaaa: number) => [...Array.from({ length: a }, () => q('udp', 'A')), ...Array.from({ length: aaaa }, () => q('udp', 'AAAA'))];
  t.ok(wireAgrees(cell(undefined, pair(2, 1)), cell(undefined, pair(1, 2))), 'A=2 AAAA=1 against A=1 AAAA=2');
  t.notOk(wireAgrees(cell(undefined, pair(2, 1)), cell(undefined, pair(2, 2))), 'an extra query is still a change');
  t.notOk(wireAgrees(cell(undefined, pair(2, 0)), cell(undefined, pair(0, 2))), 'A alone against AAAA alone is a change');
  t.notOk(wireAgrees(cell(undefined, [q('udp', 'A'), q('udp', 'AAAA'), q('udp', 'A')]), cell(undefined, [q('udp', 'A'), q('tcp', 'AAAA'), q('udp', 'A')])), 'so is another transport');
});

t.test('diff reports a wire change even when verdict, outcome and path stay', async (t) => {
  const d = diffResults(runResult([cell(undefined, [q('udp', 'A')]), cell('real', [q('udp', 'A')])]), runResult([cell(undefined, [q('udp', 'A'), q('udp', 'A')]), cell('real', [q('udp', 'A'), q('udp', 'A'), q('udp', 'A')])]));
  t.same(d.changed.map((c) => [c.key, c.a.wire, c.b.wire, c.regression]), [['s:go1.27.4:cgo=0:netdns=go', 'udp A=1', 'udp A=2', false]]);
});

t.test('where the server held its replies back, whether the queries came at once or in turn; a change of that is a change', async (t) => {
  const reply = { id: 1, rcode: 'NOERROR', flags: { aa: true, tc: false, rd: true, ra: true, ad: false, cd: false }, questions: 1, answers: 1, authorities: 0, additionals: 0, opt: 'none' as const, length: 60 };
  const held = (qtype: string, time: number): QueryRecord => ({ ...q('udp', qtype), time, delayMs: 100, response: { ...reply, sentAt: time + 100 } });
  const serial = [held('A', 0), held('AAAA', 101)];
  const parallel = [held('A', 0), held('AAAA', 1)];
  t.same(wireShape(cell(undefined, serial)), ['udp A=1 AAAA=1, in turn']);
  t.same(wireShape(cell(undefined, parallel)), ['udp A=1 AAAA=1, at once']);
  t.notOk(wireAgrees(cell(undefined, serial), cell(undefined, parallel)), 'a resolver that became parallel changed');
  t.same(wireShape(cell('real', parallel)), ['udp A=1 AAAA=1'], 'behind the real stub, resolved decides when it asks');
});
