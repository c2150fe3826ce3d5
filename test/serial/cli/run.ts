/** The main job end to end: run, its files and exit codes, repro, doctor. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { RunResult } from '../../../src/results/model.js';
import { oldestAndNewest } from '../../helpers/go.js';
import { cli, GOOD, WRONG } from '../../helpers/matrix-cli.js';

t.test('run, its files and its exit codes', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const dir = t.testdir({ scenarios: { 'good.yaml': GOOD, 'wrong.yaml': WRONG }, out: {} });
  const scen = join(dir, 'scenarios');
  const ok = await cli(['run', '--scenarios-dir', scen, '--scenario', 'good', '--go', '1.19', '--go', tcs[1]!.version, '--out', join(dir, 'out'), '--jobs', '3']);
  t.equal(ok.exitCode, 0, ok.stderr);
  t.match(ok.stdout, /^good\n  cgo\/netdns\s+0\/def\s+0\/go\s+0\/cgo\s+1\/def\s+1\/go\s+1\/cgo/m);
  t.match(ok.stdout, /go1\.19\.8\s+ok go\s+ok go\s+ok go\s+ok go\s+ok go\s+ok cgo\n/);
  t.match(ok.stdout, /^  ok    ok: resolved$/m, 'the legend of the codes in the grid');
  t.match(ok.stdout, /12 cells: 12 pass, 0 fail/);
  t.match(ok.stderr, /\[12\/12\] pass/, 'one line per finished cell when not on a terminal');
  const doc = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as RunResult;
  t.equal(doc.schemaVersion, 1);
  t.match(doc.meta, { sandboxMethod: /unshare/, host: { glibc: /glibc 2\.\d+/ } });
  t.equal(doc.cells.length, 12);
  const cell = doc.cells.find((c) => c.id.endsWith(':cgo=1:netdns=cgo'));
  t.equal(cell?.builtCgo, '1', 'CGO_ENABLED read back from the binary');
  t.match(cell?.godebugEnv, 'netdns=cgo+2');
  t.ok((cell?.queries[0] ?? []).length > 0, 'the cell carries its own queries');
  t.match(readFileSync(join(dir, 'out', 'results.md'), 'utf8'), /## good\n\nA healthy stub; every cell resolves\./);
  t.match(readFileSync(join(dir, 'out', 'junit.xml'), 'utf8'), /<testsuite name="good"[^>]*tests="12" failures="0" errors="0" skipped="0"/, 'junit.xml beside the results');
  const html = readFileSync(join(dir, 'out', 'results.html'), 'utf8');
  t.equal(html.match(/<td data-verdict="pass"/g)?.length, 12, 'results.html beside them, one grid cell per cell');
  t.equal((await cli(['report', join(dir, 'out', 'results.json'), '--format', 'html'])).stdout.length > 1000, true);
  const changes = await cli(['report', join(dir, 'out', 'results.json'), '--format', 'changes']);
  t.match(changes.stdout, new RegExp(`^\\| \\[1\\.19 → ${tcs[1]!.version.replace(/^go(1\.\d+).*/, '$1').replace('.', '\\.')}\\]\\(#go-119-to-\\d+\\) \\| 6 \\| \\d+ \\|`, 'm'), 'report --format changes: the two Go versions compared, 6 cells');
  const junit = await cli(['report', join(dir, 'out', 'results.json'), '--format', 'junit']);
  t.equal(junit.stdout, readFileSync(join(dir, 'out', 'junit.xml'), 'utf8'), 'report --format junit renders the same XML');
  const badFormat = await cli(['report', join(dir, 'out', 'results.json'), '--format', 'html5']);
  t.equal(badFormat.exitCode, 2);
  t.match(badFormat.stderr, /--format: "html5" is not one of markdown, html, terminal, changes, clients, fingerprints, stubs, libc, platforms, junit, github/);
  const gh = await cli(['run', '--scenarios-dir', scen, '--scenario', 'good', '--go', tcs[1]!.version, '--cgo', '0', '--netdns', 'go', '--out', join(dir, 'out-gh')], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') });
  t.equal(gh.exitCode, 0, gh.stderr);
  t.match(readFileSync(join(dir, 'summary.md'), 'utf8'), /## go-dns-harness\n\n1 cells on .*\n[\s\S]*Every cell met its expectations\./, 'under GitHub Actions the run appends its step summary');

  // The baseline: written from the first run, a second run of the same cells matches it; a
  // baseline that says the cell took the other path makes the run exit 1, the cell named.
  const base = join(dir, 'baseline.json');
  t.equal((await cli(['baseline', 'write', join(dir, 'out', 'results.json'), '--out', base])).exitCode, 0);
  const same = await cli(['run', '--scenarios-dir', scen, '--scenario', 'good', '--go', tcs[1]!.version, '--cgo', '0', '--netdns', 'go', '--out', join(dir, 'out-b'), '--baseline', base]);
  t.equal(same.exitCode, 0, same.stdout);
  t.match(same.stdout, /baseline .*baseline\.json: 1 cells compared, 0 changed, 0 not in the baseline/);
  const kept = JSON.parse(readFileSync(base, 'utf8')) as { cells: Record<string, { path: string }> };
  const key = `good:${tcs[1]!.version.replace(/^go(1\.\d+).*/, 'go$1')}:cgo=0:netdns=go`;
  t.ok(kept.cells[key], key);
  kept.cells[key]!.path = 'cgo/glibc';
  writeFileSync(base, JSON.stringify(kept));
  const changed = await cli(['run', '--scenarios-dir', scen, '--scenario', 'good', '--go', tcs[1]!.version, '--cgo', '0', '--netdns', 'go', '--out', join(dir, 'out-b'), '--baseline', base]);
  t.equal(changed.exitCode, 1, 'every expectation met, but the behaviour is not the baseline\'s');
  t.match(changed.stdout, new RegExp(`CHANGED ${key.replace(/\./g, '\\.')}\n    path: cgo/glibc -> go/go`));

  const bad = await cli(['run', '--scenarios-dir', scen, '--scenario', 'wrong', '--go', tcs[1]!.version, '--cgo', '0', '--netdns', 'go', '--out', join(dir, 'out2')]);
  t.equal(bad.exitCode, 1, 'a broken expectation exits 1');
  t.match(bad.stdout, new RegExp(`FAIL wrong:${tcs[1]!.version.replace(/\./g, '\\.')}:cgo=0:netdns=go\\n    ip4 app\\.example\\.test: expected addresses 192\\.0\\.2\\.99, got 192\\.0\\.2\\.10\\n    repro: go-dns-harness repro '`));

  const json = await cli(['run', '--scenarios-dir', scen, '--scenario', 'good', '--go', tcs[1]!.version, '--cgo', '0', '--netdns', 'go', '--out', join(dir, 'out3'), '--json']);
  t.equal((JSON.parse(json.stdout) as RunResult).cells.length, 1, '--json: stdout is the document alone');

  const usage = await cli(['run', '--cgo', '2']);
  t.equal(usage.exitCode, 2);
  t.match(usage.stderr, /--cgo: "2" is not 0 or 1/);
  const stub = await cli(['run', '--stub', 'fake']);
  t.equal(stub.exitCode, 2);
  t.match(stub.stderr, /--stub: "fake" is not one of real, emulated, passthrough/);
  const execStub = await cli(['exec', 'resolved-healthy', '--stub', 'fake', '--', 'true']);
  t.equal(execStub.exitCode, 2);
  t.match(execStub.stderr, /--stub: "fake" is not one of real, emulated, passthrough/);
  const libc = await cli(['run', '--libc', 'uclibc']);
  t.equal(libc.exitCode, 2);
  t.match(libc.stderr, /--libc: "uclibc" is not glibc, musl, or a musl in the cache/);
  const jobs = await cli(['run', '--jobs', '0']);
  t.equal(jobs.exitCode, 2);
  t.match(jobs.stderr, /--jobs: "0" is not a positive whole number/);
  const noScenario = await cli(['run', '--scenarios-dir', scen, '--scenario', 'nope*']);
  t.equal(noScenario.exitCode, 2);
  t.match(noScenario.stderr, /--scenario: "nope\*" is not valid; matches no scenario; known: good, wrong/);
});

t.test('repro re-runs one cell verbosely', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const id = `stub-refused:${tcs[1]!.version}:cgo=1:netdns=cgo`;
  const r = await cli(['repro', id]);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, new RegExp(`^cell ${id.replace(/\./g, '\\.')}`));
  t.match(r.stdout, /--- resolv\.conf\n  nameserver 127\.0\.0\.53/);
  t.match(r.stdout, /udp 127\.0\.0\.1:\d+ -> 127\.0\.0\.53:53 id=\d+ A app\.example\.test edns=\d+ rd ad -> refuse: REFUSED/);
  t.match(r.stdout, /--- probe stderr\ngo package net: /);
  t.match(r.stdout, /host app\.example\.test: error ".*Temporary failure in name resolution" temporary .*declared cgo/);
  t.match(r.stdout, /--- verdict: pass/);
  const bad = await cli(['repro', 'nonsense']);
  t.equal(bad.exitCode, 2);
});

t.test('doctor says what this machine allows', async (t) => {
  const r = await cli(['doctor']);
  t.equal(r.exitCode, 0);
  t.match(r.stdout, /sandbox:\n\s+ok\s+unshare/);
  t.match(r.stdout, /C compiler: ok/);
  t.match(r.stdout, /\nsystemd-resolved: (systemd \d+ \(|not fetched \(go-dns-harness resolved fetch)/);
  t.match(r.stdout, /\nmusl: (musl-\d+\.\d+\.\d+|none \(go-dns-harness musl fetch)/);
  t.match(r.stdout, /unshare\s+\/\S+unshare/);
});
