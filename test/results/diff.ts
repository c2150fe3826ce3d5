/** diff: pairing cells, what counts as a change, a regression and a fix. */
import t from 'tap';
import { renderDiff } from '../../src/report/diff.js';
import { diffResults } from '../../src/results/diff.js';
import { cellResult, outcome, runResult } from '../helpers/fixtures.js';

t.test('by id: changed verdict, outcome or path; regressions and fixes', async (t) => {
  const a = runResult([
    cellResult('s:go1.27.4:cgo=0:netdns=go', 'pass'),
    cellResult('s:go1.27.4:cgo=1:netdns=cgo', 'pass', 'cgo'),
    cellResult('s:go1.27.4:cgo=1:netdns=go', 'fail'),
    cellResult('s:go1.27.4:cgo=1:netdns=default', 'pass'),
    cellResult('gone:go1.27.4:cgo=0:netdns=go', 'pass'),
  ]);
  const b = runResult([
    cellResult('s:go1.27.4:cgo=0:netdns=go', 'fail'),
    cellResult('s:go1.27.4:cgo=1:netdns=cgo', 'pass', 'cgo'),
    cellResult('s:go1.27.4:cgo=1:netdns=go', 'pass'),
    cellResult('s:go1.27.4:cgo=1:netdns=default', 'pass', 'cgo'),
    cellResult('new:go1.27.4:cgo=0:netdns=go', 'pass'),
  ]);
  b.cells[0]!.lookups = [outcome({ ok: false, isNotFound: true, error: 'no such host' })];
  const d = diffResults(a, b);
  t.equal(d.pairing, 'id');
  t.equal(d.compared, 4);
  t.same(d.changed.map((c) => [c.key, c.regression, c.fixed]), [
    ['s:go1.27.4:cgo=0:netdns=go', true, false],
    ['s:go1.27.4:cgo=1:netdns=go', false, true],
    ['s:go1.27.4:cgo=1:netdns=default', false, false],
  ]);
  t.same(d.changed[0]?.b, { verdict: 'fail', outcome: 'notfound', path: 'go/go', wire: '-' });
  t.same(d.changed[2]?.b.path, 'cgo/glibc', 'a path change alone counts');
  t.same([d.onlyA, d.onlyB], [['gone:go1.27.4:cgo=0:netdns=go'], ['new:go1.27.4:cgo=0:netdns=go']]);
  const text = renderDiff(d, ['main.json', 'pr.json']);
  t.match(text, /^main\.json -> pr\.json: 4 cells compared, 3 changed, 1 regressed, 1 fixed/);
  t.match(text, /REGRESSED s:go1\.27\.4:cgo=0:netdns=go\s+pass ok go\/go \[-\]  ->  fail notfound go\/go \[-\]/);
  t.match(text, /only in pr\.json \(1\): new:go1\.27\.4:cgo=0:netdns=go/);
});

t.test('two Go versions are paired without the version, automatically or when asked', async (t) => {
  const a = runResult([cellResult('s:go1.26.11:cgo=0:netdns=go', 'pass'), cellResult('s:go1.26.11:cgo=1:netdns=go:godebug=netedns0=0', 'pass')]);
  const b = runResult([cellResult('s:go1.27.4:cgo=0:netdns=go', 'pass'), cellResult('s:go1.27.4:cgo=1:netdns=go:godebug=netedns0=0', 'fail')]);
  const d = diffResults(a, b);
  t.equal(d.pairing, 'across-go');
  t.equal(d.compared, 2);
  t.same(d.changed.map((c) => c.key), ['s:cgo=1:netdns=go:godebug=netedns0=0']);
  const two = runResult([...a.cells, cellResult('s:go1.27.4:cgo=0:netdns=go', 'pass')]);
  t.equal(diffResults(two, b).pairing, 'id', 'several Go versions on a side: by id');
  t.throws(() => diffResults(two, b, { acrossGo: true, files: ['x.json', 'y.json'] }), /x\.json: more than one cell is s:cgo=0:netdns=go once the Go version is set aside/);
});

t.test('the error text, the EDNS0 size and the time are behaviour too; ports and jitter are not', async (t) => {
  const mk = (over: Partial<ReturnType<typeof outcome>>) => {
    const c = cellResult('s:go1.27.4:cgo=0:netdns=go', 'pass');
    c.lookups = [outcome({ ok: false, addrs: [], isTemporary: true, ...over })];
    return runResult([c]);
  };
  const a = mk({ error: 'lookup a on 127.0.0.53:53: read udp 127.0.0.1:40000->127.0.0.53:53: i/o timeout', elapsedMs: 5010 });
  t.equal(diffResults(a, mk({ error: 'lookup a on 127.0.0.53:53: read udp 127.0.0.1:51234->127.0.0.53:53: i/o timeout', elapsedMs: 5100 })).changed.length, 0);
  const d = diffResults(a, mk({ error: 'lookup a on 127.0.0.53:53: read udp 127.0.0.1:40000->127.0.0.53:53: i/o timeout', elapsedMs: 10_020 }));
  t.same(d.changed[0]?.behaviour.map((x) => x.field), ['ms'], 'one more timeout round');
  t.match(renderDiff(d, ['a', 'b']), /CHANGED\s+s:go1\.27\.4:cgo=0:netdns=go .*\n          time: 5\.0s -> 10\.0s/);
  const e = diffResults(a, mk({ error: 'lookup a on 127.0.0.53:53: server misbehaving', elapsedMs: 5010 }));
  t.same(e.changed[0]?.behaviour.map((x) => x.field), ['outcome', 'error']);
});
