/** The main job end to end: run, results files, exit codes, repro, shards + merge, report, doctor. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import type { RunResult } from '../../src/results/model.js';
import { oldestAndNewest } from '../helpers/go.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const cli = (args: string[], env: Record<string, string> = {}) => execa('node', [CLI, ...args], { reject: false, timeout: 300_000, env: { ...env, NO_COLOR: '1' } });

const GOOD = `name: good
summary: A healthy stub; every cell resolves.
files:
  resolv.conf: "nameserver 127.0.0.53\\n"
  nsswitch.conf: "hosts: files dns\\n"
servers:
  - listen: [127.0.0.53:53/udp, 127.0.0.53:53/tcp]
    records: {app.example.test: {A: 192.0.2.10}}
lookups: [ip4 app.example.test]
expect:
  - when: {cgo: 1, netdns: cgo}
    result: ok
    addrs: [192.0.2.10]
    path: cgo
  - result: ok
    addrs: [192.0.2.10]
    path: go
`;
const WRONG = GOOD.replace('name: good', 'name: wrong').replace(/addrs: \[192\.0\.2\.10\]\n    path: go/, 'addrs: [192.0.2.99]\n    path: go');

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
  t.match(badFormat.stderr, /--format: "html5" is not one of markdown, html, terminal, changes, clients, fingerprints, stubs, libc, junit, github/);
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

t.test('shards merge into exactly the unsharded result', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const dir = t.testdir({ scenarios: { 'good.yaml': GOOD, 'wrong.yaml': WRONG } });
  const scen = join(dir, 'scenarios');
  const args = ['--scenarios-dir', scen, '--go', tcs[1]!.version];
  await cli(['run', ...args, '--out', join(dir, 'all')]);
  for (const i of [1, 2, 3]) await cli(['run', ...args, '--shard', `${i}/3`, '--out', join(dir, `s${i}`)]);
  const merged = await cli(['merge', ...[1, 2, 3].map((i) => join(dir, `s${i}`, 'results.json')), '--out', join(dir, 'merged.json')]);
  t.equal(merged.exitCode, 1, 'merge exits 1 too when a merged cell failed');
  const essence = (r: RunResult) => r.cells.map((c) => [c.id, c.verdict, c.lookups.map((l) => [l.ok, l.addrs, l.declaredPath])]);
  const all = JSON.parse(readFileSync(join(dir, 'all', 'results.json'), 'utf8')) as RunResult;
  const m = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as RunResult;
  t.same(essence(m), essence(all), 'same cells, verdicts and outcomes');
  t.same(m.summary, all.summary);
  t.equal(m.meta.shard, undefined);
  const dup = await cli(['merge', join(dir, 's1', 'results.json'), join(dir, 's1', 'results.json')]);
  t.equal(dup.exitCode, 2);
  t.match(dup.stderr, /is in result 1 and 2: these are not shards of one plan/);
  const lost = await cli(['merge', join(dir, 's1', 'results.json'), join(dir, 's3', 'results.json')]);
  t.equal(lost.exitCode, 2);
  t.match(lost.stderr, /shard 2\/3 missing: merge needs all 3 shards/);
  const mixed = await cli(['merge', join(dir, 's1', 'results.json'), join(dir, 'all', 'results.json')]);
  t.match(mixed.stderr, /these are not shards of one plan/);
  const md = await cli(['report', join(dir, 'merged.json')]);
  t.match(md.stdout, /## Overview/);
  const term = await cli(['report', join(dir, 'merged.json'), '--format', 'terminal']);
  t.match(term.stdout, /12 cells: 7 pass, 5 fail/, 'in "wrong" only the netdns=cgo cgo build meets its (right) expectation');
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

t.test('without a C compiler the CGO_ENABLED=1 cells are skipped with the reason, the rest run', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const { loadScenarios, planCells, runMatrix } = await import('../../src/index.js');
  const scenarios = loadScenarios().filter((s) => s.name === 'hosts-only');
  const noCc = { ...tcs[1]!, cc: '/nonexistent/cc' };
  const run = await runMatrix(planCells(scenarios, [noCc], { cgo: ['0', '1'], netdns: ['go'], godebug: ['none'], tags: ['none'], goModGo: ['1.19'] }), { jobs: 2 });
  t.same(run.cells.map((c) => [c.axes.cgo, c.verdict]), [['0', 'pass'], ['1', 'skip']]);
  t.match(run.cells[1]?.reason, /CGO_ENABLED=1 needs a C compiler and "\/nonexistent\/cc" does not run here/);
  t.same(run.summary, { total: 2, pass: 1, fail: 0, slow: 0, skip: 1, error: 0, xfail: 0 });
});

t.test('the client behaviour table, from a real run', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const dir = t.testdir({});
  const r = await cli(['run', '--scenario', 'ubuntu-stub-healthy', '--scenario', 'stub-slow', '--scenario', 'truncated-tcp-ok', '--go', tcs[1]!.version, '--out', dir]);
  t.equal(r.exitCode, 0, r.stderr);
  const table = await cli(['report', join(dir, 'results.json'), '--format', 'clients']);
  const v = tcs[1]!.version.replace(/\./g, '\\.');
  t.match(table.stdout, new RegExp(`\\| ${v} \\| glibc \\| OPT 1200 \\| AD \\| parallel, one socket \\| n/a \\| n/a \\| yes, 2 queries on one connection, answered \\|`));
  t.match(table.stdout, new RegExp(`\\| ${v} \\| go \\| OPT 1232 \\| AD \\| parallel, two sockets \\| n/a \\| n/a \\| yes, a connection per query \\(2\\), answered \\|`));
  const fp = await cli(['report', join(dir, 'results.json'), '--format', 'fingerprints']);
  t.equal(fp.exitCode, 0, fp.stderr);
  // Columns: EDNS 1232, EDNS 1200, one UDP socket, one TCP connection, same-ID re-send.
  const row = (path: string) => new RegExp(`\\| ${v} \\| ${path} \\| (\\d+) \\((\\d+)\\) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\| (\\d+) \\|`).exec(fp.stdout)?.slice(1).map(Number);
  const glibc = row('cgo');
  const go = row('go');
  t.ok(glibc && go, fp.stdout);
  t.same([glibc?.[2], go?.[3], go?.[4], go?.[5], go?.[6]], [0, 0, 0, 0, 0], 'no rule fires for the wrong client');
  t.ok((glibc?.[5] ?? 0) >= 1, 'glibc pipelines A and AAAA down one TCP connection after TC (truncated-tcp-ok)');
  t.ok((go?.[2] ?? 0) >= 3, 'EDNS 1232 in every Go-path cell of these scenarios');
});

t.test('diff and flakes on real runs', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const dir = t.testdir({ scenarios: { 'good.yaml': GOOD, 'wrong.yaml': WRONG } });
  const scen = join(dir, 'scenarios');
  const args = ['--scenarios-dir', scen, '--cgo', '0', '--netdns', 'go'];
  t.equal((await cli(['run', ...args, '--go', tcs[1]!.version, '--scenario', 'good', '--out', join(dir, 'a')])).exitCode, 0);
  // B: the same plan with one cell's result altered, as a flaky run would leave it.
  const a = JSON.parse(readFileSync(join(dir, 'a', 'results.json'), 'utf8')) as RunResult;
  const b = structuredClone(a);
  b.cells[0]!.verdict = 'fail';
  b.cells[0]!.lookups[0]!.ok = false;
  b.cells[0]!.lookups[0]!.isTimeout = true;
  writeFileSync(join(dir, 'b.json'), JSON.stringify(b));
  const same = await cli(['diff', join(dir, 'a', 'results.json'), join(dir, 'a', 'results.json')]);
  t.equal(same.exitCode, 0);
  t.match(same.stdout, /1 cells compared, 0 changed, 0 regressed/);
  const worse = await cli(['diff', join(dir, 'a', 'results.json'), join(dir, 'b.json')]);
  t.equal(worse.exitCode, 1, 'a cell that passed and now fails exits 1');
  t.match(worse.stdout, /REGRESSED good:go1\.\d+\.\d+:cgo=0:netdns=go\s+pass ok go\/go \[udp A=1\]  ->  fail timeout go\/go \[udp A=1\]/);
  const better = await cli(['diff', join(dir, 'b.json'), join(dir, 'a', 'results.json'), '--json']);
  t.equal(better.exitCode, 0);
  t.match(JSON.parse(better.stdout), { changed: [{ fixed: true, regression: false }] });
  const flakes = await cli(['flakes', join(dir, 'a', 'results.json'), join(dir, 'b.json'), '--reruns', '2', '--scenarios-dir', scen, '--out', join(dir, 'flakes.json')]);
  t.equal(flakes.exitCode, 1, 'a flaky cell exits 1');
  t.match(flakes.stdout, /1 cell\(s\) differed between the two runs and were run 2 more time\(s\) each: 1 flaky/);
  t.match(flakes.stdout, /FLAKY  25% good:go1\.\d+\.\d+:cgo=0:netdns=go\n    3\/4  pass ok go\/go \[udp A=1\]\n    1\/4  fail timeout go\/go \[udp A=1\]/, 'the real re-runs side with A: B was the odd run out');
  t.match(JSON.parse(readFileSync(join(dir, 'flakes.json'), 'utf8')), { reruns: 2, cells: [{ runs: 4, flaky: true, rate: 0.25 }] });
  const oldNew = await cli(['run', ...args, '--go', '1.19', '--scenario', 'good', '--out', join(dir, 'old')]);
  t.equal(oldNew.exitCode, 0);
  const across = await cli(['diff', join(dir, 'old', 'results.json'), join(dir, 'a', 'results.json')]);
  t.match(across.stdout, /1 cells compared \(paired without the Go version\), 0 changed/);
  const usage = await cli(['diff', join(dir, 'b.json')]);
  t.equal(usage.exitCode, 2);
  t.match(usage.stderr, /diff needs two result files/);
});
