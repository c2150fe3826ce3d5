/**
 * The shipped scenarios with a resolved server, run as a user runs them: every cell passes with
 * the real systemd-resolved and with its stand-ins, and the emulation matches the real stub.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import type { Toolchain } from '../../../src/index.js';
import type { CellResult, RunResult } from '../../../src/results/model.js';
import { compareStubs, outcomeText, sameOutcome } from '../../../src/report/stub-compare.js';
import { oldestAndNewest } from '../../helpers/go.js';
import { resolvedOrSkip } from '../../helpers/resolved.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

t.test('the shipped resolved scenarios pass with the real stub and its stand-ins; the emulation matches the real stub', async (t) => {
  const tcs = await oldestAndNewest(t);
  const install = await resolvedOrSkip(t);
  if (!tcs || !install) return;
  const dir = t.testdir({});
  const r = await execa('node', [CLI, 'run', '--scenario', 'resolved-*', '--go', (tcs[1] as Toolchain).version, '--netdns', 'go,cgo', '--stub', 'real,emulated,passthrough', '--jobs', '8', '--out', dir], { reject: false, timeout: 600_000 });
  t.equal(r.exitCode, 0, r.stdout.split('\n').filter((l) => /fail|error/.test(l)).slice(0, 10).join('\n'));
  const doc = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
  t.equal(doc.summary.fail + doc.summary.error + doc.summary.skip, 0, `${doc.summary.pass} cells pass`);
  t.match(doc.meta.resolved, /^systemd \d+/);
  const real = doc.cells.filter((c) => c.axes.stub === 'real');
  t.ok(real.length >= 40, `${real.length} real-stub cells`);
  t.ok(real.every((c) => /^systemd \d+/.test(c.resolved?.version ?? '') && c.observed.path === 'none'), 'each real cell names its resolved and claims no client fingerprint');
  const answered = real.filter((c) => c.lookups.every((l) => l.ok));
  t.ok(answered.length > 0 && answered.every((c) => (c.resolved?.log ?? []).some((l) => /Got DNS stub UDP query packet|varlink/i.test(l))), "each answered real cell keeps resolved's log of the queries it served");
  // One race is real and stays one: in resolved-upstream-edns-dropped systemd-resolved's own retry
  // timer (EDNS twice 5 s apart, then plain) decides when the answer comes, and on a loaded machine
  // its plain query can go out a step later than the emulation's fixed 10 s. So a real cell there
  // may get the same answer later than its emulated partner; any other difference is a finding.
  const RACING = new Set(['resolved-upstream-edns-dropped']);
  const byId = new Map(doc.cells.map((c) => [c.id, c]));
  const seconds = (c: CellResult) => c.lookups.reduce((n, l) => n + l.elapsedMs, 0) / 1000;
  const differing = new Map<string, string[]>();
  for (const r of real) {
    const e = byId.get(r.id.replace(':stub=real', ':stub=emulated'));
    if (!e || sameOutcome(r, e)) continue;
    if (RACING.has(r.axes.scenario) && outcomeText(r) === outcomeText(e) && seconds(r) > seconds(e)) {
      t.comment(`${r.id}: resolved answered a retry step later (${seconds(r).toFixed(1)} s against the emulation's ${seconds(e).toFixed(1)} s)`);
      continue;
    }
    differing.set(r.axes.scenario, [...(differing.get(r.axes.scenario) ?? []), `${r.id}: ${outcomeText(r)} in ${seconds(r).toFixed(1)} s, emulated ${outcomeText(e)} in ${seconds(e).toFixed(1)} s`]);
  }
  const comps = compareStubs(doc);
  for (const c of comps) if (c.counts.emulated) t.same(differing.get(c.scenario) ?? [], [], `${c.scenario}: the emulated stub gets what the real one gets`);
  const differs = comps.filter((c) => (c.counts.passthrough?.differing ?? 0) > 0).map((c) => c.scenario);
  for (const s of ['resolved-upstream-edns-formerr', 'resolved-upstream-edns-dropped']) t.ok(differs.includes(s), `${s}: showing the fault directly is not what the real stub does`);
  t.notOk(differs.includes('resolved-upstream-refuses'), 'REFUSED is passed through as it is');
  const md = readFileSync(join(dir, 'results.md'), 'utf8');
  t.match(md, /## The real systemd-resolved against its stand-ins/);
  t.match(md, /\| \[resolved-upstream-edns-formerr\]\(#resolved-upstream-edns-formerr-stubs\) \| \d+\/\d+ \| 0\/\d+ ≠ \|/);
  const repro = await execa('node', [CLI, 'repro', (real[0] as CellResult).id], { reject: false });
  t.equal(repro.exitCode, 0, repro.stderr);
  t.match(repro.stdout, /--- systemd-resolved \(systemd \d+.*\) log while the probe ran\n {2}\S/);
});
