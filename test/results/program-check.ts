/** A program cell judged by its dns-expect.yaml. */
import t from 'tap';
import { evaluateProgram, withoutTrace } from '../../src/results/program-check.js';
import type { CellAxes, ProgramOutcome } from '../../src/results/model.js';
import type { ProgramExpectations } from '../../src/scenario/program-expect.js';

const axes = (over: Partial<CellAxes> = {}): CellAxes => ({ scenario: 'stub-refused', go: 'go1.27.1', goMinor: 27, cgo: '0', netdns: 'default', godebug: [], tags: [], goModGo: '1.19', ...over });
const run = (over: Partial<ProgramOutcome> = {}): ProgramOutcome => ({
  name: 'http-client', exitCode: 1, signal: null, timedOut: false, stdout: '',
  stderr: 'go package net: using the Go DNS resolver\nhttp-client: resolving app.example.test failed after 4ms: server misbehaving\n',
  elapsedMs: 40, paths: [{ name: 'app.example.test', path: 'go' }], ...over,
});
const ex: ProgramExpectations = {
  source: 'examples/http-client/dns-expect.yaml',
  expect: [
    { scenarios: ['stub-refused'], when: [{ cgo: '0' }], exit: [1], stderr: '/failed after \\d+ms: server misbehaving/', paths: ['go'], minMs: 0, maxMs: 1000 },
    { scenarios: ['resolved-*'], when: [{}], exit: [0] },
  ],
};

t.test('a run that matches passes; each difference is said', async (t) => {
  t.same(evaluateProgram(ex, 'stub-refused', axes(), run()), { verdict: 'pass', checks: [{ lookup: 'program http-client', expectation: 0, ok: true, problems: [] }] });
  const bad = evaluateProgram(ex, 'stub-refused', axes(), run({ exitCode: 0, stderr: 'go package net: using the cgo DNS resolver\n', paths: [{ name: 'app.example.test', path: 'cgo' }] }));
  t.equal(bad.verdict, 'fail');
  t.same(bad.checks[0]?.problems, ['expected exit 1, the program exited 0', 'expected stderr to match /failed after \\d+ms: server misbehaving/', 'app.example.test: Go declared cgo, expected go']);
  t.match(evaluateProgram(ex, 'stub-refused', axes(), run({ exitCode: null, timedOut: true })).checks[0]?.problems[0], /was killed at the cell's time limit/);
  t.match(evaluateProgram(ex, 'stub-refused', axes(), run({ paths: [] })).checks[0]?.problems, [/the netdns trace shows no lookup/]);
});

t.test('over maxMs is slow, not failed; stderr patterns do not see the trace', async (t) => {
  const slow = evaluateProgram(ex, 'stub-refused', axes(), run({ elapsedMs: 1500 }));
  t.equal(slow.verdict, 'slow');
  t.same(slow.checks[0]?.problems, ['took 1500 ms, over the 1000 ms limit']);
  const traceOnly = { ...ex, expect: [{ when: [{}], exit: [1], stderr: 'using the Go DNS resolver' }] };
  t.equal(evaluateProgram(traceOnly, 'stub-refused', axes(), run()).verdict, 'fail', 'the trace is Go\'s, not the program\'s output');
  t.equal(withoutTrace('a\ngo package net: x\nb'), 'a\nb');
});

t.test('the first entry whose scenarios and when hold; none is a failure that names the file', async (t) => {
  t.equal(evaluateProgram(ex, 'resolved-healthy', axes({ cgo: '1' }), run({ exitCode: 0 })).checks[0]?.expectation, 1, 'by glob');
  const none = evaluateProgram(ex, 'stub-refused', axes({ cgo: '1' }), run());
  t.same(none, { verdict: 'fail', checks: [{ lookup: 'program http-client', expectation: -1, ok: false, problems: ['no entry of examples/http-client/dns-expect.yaml covers this cell'] }] });
});
