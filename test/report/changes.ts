import t from 'tap';
import { goChanges, renderChanges } from '../../src/report/changes.js';
import type { CellResult } from '../../src/results/model.js';
import { cellResult, outcome, runResult } from '../helpers/fixtures.js';

/** The Ubuntu resolv.conf path switch: CGO_ENABLED=1 with netdns unset takes cgo on 1.19, Go's resolver from 1.21. */
function cells(): CellResult[] {
  const out: CellResult[] = [];
  for (const go of ['go1.19.8', 'go1.21.13', 'go1.22.12'])
    for (const [cgo, netdns] of [['0', 'default'], ['1', 'default'], ['1', 'cgo']]) {
      const path = cgo === '1' && (netdns === 'cgo' || go === 'go1.19.8') ? 'cgo' : 'go';
      const c = cellResult(`ubuntu:${go}:cgo=${cgo}:netdns=${netdns}`, 'pass', path);
      c.lookups = [outcome({ declaredPath: path, elapsedMs: 4 })];
      out.push(c);
    }
  return out;
}

t.test('adjacent Go versions, cell by cell with the same setting', async (t) => {
  const steps = goChanges(runResult(cells()));
  t.same(steps.map((s) => [s.from, s.to, s.compared, s.changed.length]), [['go1.19.8', 'go1.21.13', 3, 1], ['go1.21.13', 'go1.22.12', 3, 0]]);
  const c = steps[0]!.changed[0]!;
  t.equal(c.setting, 'cgo=1:netdns=default');
  t.same(c.changes.map((x) => [x.field, x.before, x.after]), [['path', 'cgo/glibc', 'go/go']]);
});

t.test('a changed error, an extra round of time, a skipped cell', async (t) => {
  const list = cells();
  const late = list.find((c) => c.id === 'ubuntu:go1.22.12:cgo=0:netdns=default')!;
  late.lookups = [outcome({ ok: false, addrs: [], error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving', isTemporary: true, elapsedMs: 1010 })];
  list.find((c) => c.id === 'ubuntu:go1.22.12:cgo=1:netdns=cgo')!.verdict = 'skip';
  const steps = goChanges(runResult(list));
  t.equal(steps[1]!.compared, 2, 'a skipped cell is not compared');
  t.same(steps[1]!.changed[0]!.changes.map((x) => x.field), ['outcome', 'error', 'ms']);
  const md = renderChanges(runResult(list));
  t.match(md, /\| \[1\.19 → 1\.21\]\(#go-119-to-121\) \| 3 \| 1 \| 1 \| path \(declared\/observed\) 1 \|/);
  t.match(md, /## Go 1\.21 → 1\.22 \(go1\.21\.13 → go1\.22\.12\)\n\n### ubuntu \(1\.21 → 1\.22\)/);
  t.match(md, /\| `cgo=0:netdns=default` \| outcome: ok 4 → misbehaving<br>error: \(none\) → lookup app\.example\.test on 127\.0\.0\.53:53: server misbehaving<br>time: 0\.0s → 1\.0s \| `go-dns-harness repro 'ubuntu:go1\.22\.12:cgo=0:netdns=default'` \|/);
});

t.test('settings with the same change are told once; a run of one Go version has nothing to compare', async (t) => {
  const list = cells().filter((c) => c.axes.go !== 'go1.22.12');
  const godebug = cellResult('ubuntu:go1.19.8:cgo=1:netdns=default:godebug=netedns0=0', 'pass', 'cgo');
  godebug.axes.godebug = ['netedns0=0'];
  const godebug2 = cellResult('ubuntu:go1.21.13:cgo=1:netdns=default:godebug=netedns0=0', 'pass', 'go');
  godebug2.axes.godebug = ['netedns0=0'];
  const md = renderChanges(runResult([...list, godebug, godebug2]));
  t.match(md, /\| `cgo=1:netdns=default`, `cgo=1:netdns=default:godebug=netedns0=0` \| path \(declared\/observed\): cgo\/glibc → go\/go \|/);
  t.equal(renderChanges(runResult(cells().filter((c) => c.axes.go === 'go1.19.8'))), 'This run has one Go version: nothing to compare.\n');
});
