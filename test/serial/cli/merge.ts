/** Shards and merge on real runs, and a run without a C compiler. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { RunResult } from '../../../src/results/model.js';
import { oldestAndNewest } from '../../helpers/go.js';
import { cli, GOOD, WRONG } from '../../helpers/matrix-cli.js';

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

t.test('without a C compiler the CGO_ENABLED=1 cells are skipped with the reason, the rest run', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const { loadScenarios, planCells, runMatrix } = await import('../../../src/index.js');
  const scenarios = loadScenarios().filter((s) => s.name === 'hosts-only');
  const noCc = { ...tcs[1]!, cc: '/nonexistent/cc' };
  const run = await runMatrix(planCells(scenarios, [noCc], { cgo: ['0', '1'], netdns: ['go'], godebug: ['none'], tags: ['none'], goModGo: ['1.19'] }), { jobs: 2 });
  t.same(run.cells.map((c) => [c.axes.cgo, c.verdict]), [['0', 'pass'], ['1', 'skip']]);
  t.match(run.cells[1]?.reason, /CGO_ENABLED=1 needs a C compiler and "\/nonexistent\/cc" does not run here/);
  t.same(run.summary, { total: 2, pass: 1, fail: 0, slow: 0, skip: 1, error: 0, xfail: 0, info: 0 });
});
