import junitModule, { type Builder } from 'junit-report-builder';
import type { CellResult, RunResult } from '../results/model.js';
import { problemLines, slowness } from './problems.js';

// The package's typings declare an ES default export, but its CommonJS build sets module.exports
// to the builder itself, which is what a Node ESM default import gives.
const junit = junitModule as unknown as Builder;
/** What a reader of a CI report needs to reproduce and understand the cell. */
function details(c: CellResult): string {
  const lines = [
    `repro: ${c.repro}`,
    `GODEBUG=${c.godebugEnv}; declared path: ${c.declared.mode}; observed on the wire: ${c.observed.path}${c.observed.disagrees ? ' (DISAGREES)' : ''}`,
    ...c.lookups.map((l) => `${l.kind} ${l.name}: ${l.ok ? `ok ${(l.addrs ?? []).join(' ')}` : `error ${l.error ?? ''}`} (${Math.round(l.elapsedMs)} ms, ${l.declaredPath})`),
  ];
  if (c.reason) lines.unshift(c.reason);
  for (const k of c.checks) if (k.knownFailing !== undefined) lines.unshift(`known failing (${k.knownFailing}): ${k.lookup}: ${k.problems.join('; ')}`);
  return lines.join('\n');
}

/**
 * JUnit XML for CI systems: a testsuite per scenario, a testcase per cell (named by its cell id,
 * so a failing case can be re-run with `repro`). fail and slow are failures, error an error, skip
 * skipped with its reason in the case's output.
 */
export function renderJunit(run: RunResult): string {
  const builder = junit.newBuilder().name(`go-dns-harness ${run.meta.startedAt}`);
  const byScenario = new Map<string, CellResult[]>();
  for (const c of run.cells) byScenario.set(c.axes.scenario, [...(byScenario.get(c.axes.scenario) ?? []), c]);
  for (const [scenario, cells] of byScenario) {
    const suite = builder.testSuite().name(scenario).timestamp(run.meta.startedAt);
    suite.property('glibc', run.meta.host.glibc).property('sandbox', run.meta.sandboxMethod);
    for (const c of cells) {
      const tc = suite.testCase().className(scenario).name(c.id).time(c.durationMs / 1000);
      tc.standardOutput(details(c));
      if (c.verdict === 'fail') tc.failure(problemLines(c).join('\n') || 'expectations not met', 'fail');
      else if (c.verdict === 'slow') tc.failure(slowness(c), 'slow');
      else if (c.verdict === 'error') tc.error(c.reason ?? 'the harness failed', 'error');
      else if (c.verdict === 'skip') tc.skipped();
    }
  }
  return builder.build();
}
