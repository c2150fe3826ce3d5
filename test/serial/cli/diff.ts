/** Reading real runs: the client and fingerprint tables, diff and flakes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { RunResult } from '../../../src/results/model.js';
import { oldestAndNewest } from '../../helpers/go.js';
import { cli, GOOD, WRONG } from '../../helpers/matrix-cli.js';

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
  t.match(usage.stderr, /diff: B\.json is missing\nusage: go-dns-harness diff A\.json B\.json/);
});
