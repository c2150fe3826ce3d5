/** A probe run turned into a cell's result: the probe's JSON, Go's trace, the wire, the verdict. */
import t from 'tap';
import { planCells } from '../../src/plan/cells.js';
import { assembleCell, cellBase } from '../../src/results/assemble.js';
import type { ProbeRun, QueryRecord } from '../../src/results/model.js';
import { captures } from '../helpers/captures.js';
import { scenario, toolchain } from '../helpers/fixtures.js';

const s = scenario({
  name: 's',
  lookups: ['host app.example.test'],
  expect: [{ result: 'ok', addrs: ['192.0.2.10'], path: 'go', minMs: 0, maxMs: 1000, wire: [{ server: 0, queries: 2, udp: 2, tcp: 0 }] } as never],
});
const [cell] = planCells([s], [toolchain(27)], { cgo: ['0'], netdns: ['go'] });

// Go's resolver asks A and AAAA from a socket each (one port each), with EDNS size 1232.
const query = (qtype: string, seq: number): QueryRecord => ({
  seq, time: seq, transport: 'udp', client: { address: '127.0.0.1', port: 40000 + seq }, server: { address: '127.0.0.53', port: 53 }, length: 40,
  id: seq, opcode: 'QUERY', flags: { rd: true, ad: false, cd: false }, qname: 'app.example.test', qtype, qclass: 'IN', edns: { udpSize: 1232, version: 0, do: false, options: [] },
  nth: 1, rule: -1, action: 'answer', matched: [], delayMs: 0,
  response: { id: seq, rcode: 'NOERROR', flags: { aa: true, tc: false, rd: true, ra: true, ad: false, cd: false }, questions: 1, answers: 1, authorities: 0, additionals: 1, opt: 'additional', length: 60, sentAt: seq },
});

const goTrace = captures.find((c) => c.netdns === 'go+2' && c.cgo === '0')?.stderr ?? '';
const run = (over: Partial<ProbeRun> = {}): ProbeRun => ({
  exitCode: 0, signal: null, timedOut: false, elapsedMs: 12,
  stdout: JSON.stringify({ build: { cgoEnabled: '0' }, lookups: [{ kind: 'host', name: 'app.example.test', ok: true, addrs: ['192.0.2.10'], isNotFound: false, isTimeout: false, isTemporary: false, elapsedMs: 3 }] }),
  stderr: goTrace,
  queries: [[query('A', 1), query('AAAA', 2)]],
  ...over,
});

t.test('a good run: the lookups with their declared path, the observed path, the verdict', async (t) => {
  t.ok(cell, 'the plan has the cell');
  t.ok(goTrace, 'a captured trace of the Go resolver');
  const r = assembleCell(cell!, run(), { durationMs: 40 });
  t.equal(r.verdict, 'pass', JSON.stringify(r.checks));
  t.equal(r.lookups[0]?.declaredPath, 'go');
  t.equal(r.declared.mode, 'go');
  t.equal(r.observed.path, 'go', r.observed.evidence.join('; '));
  t.equal(r.observed.disagrees, false);
  t.equal(r.builtCgo, '0');
  t.same([r.durationMs, r.probeMs, r.probeExit], [40, 12, 0]);
  t.equal(r.libc, undefined, 'no C library for a cgo=0 cell');
  t.equal(r.repro, `go-dns-harness repro '${cell!.id}'`);
});

t.test('a run that left no JSON is an error with the reason, not a verdict', async (t) => {
  const late = assembleCell(cell!, run({ stdout: '', timedOut: true }), { durationMs: 1 });
  t.equal(late.verdict, 'error');
  t.equal(late.reason, 'the probe did not finish in time');
  const broken = assembleCell(cell!, run({ stdout: 'panic', exitCode: 2, stderr: 'goroutine 1\nmain.go:9 boom' }), { durationMs: 1 });
  t.match(broken.reason, /^the probe's output is not JSON \(exit 2\): goroutine 1 \| main\.go:9 boom$/);
});

t.test('a wire other than expected fails the cell; the real stub is not observed', async (t) => {
  const one = assembleCell(cell!, run({ queries: [[query('A', 1)]] }), { durationMs: 1 });
  t.equal(one.verdict, 'fail');
  t.match(one.checks[0]?.problems.join('\n'), /queries/);
  const base = cellBase(cell!, 'skip', 'no C compiler');
  t.same([base.verdict, base.reason, base.lookups], ['skip', 'no C compiler', []]);
});
