import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { findFlakes, renderFlakes } from '../matrix/flakes.js';
import { diffResults, renderDiff } from '../results/diff.js';
import { readResultsFile } from '../results/read.js';
import { cleanUpOnSignals } from '../sandbox/registry.js';


/** Compares two result documents; exit 1 when a cell that passed in A fails in B. */
export function diff(a: string, b: string, opts: { acrossGo: boolean; json: boolean }): number {
  const d = diffResults(readResultsFile(a), readResultsFile(b), { ...(opts.acrossGo ? { acrossGo: true } : {}), files: [a, b] });
  process.stdout.write(opts.json ? `${JSON.stringify(d, null, 1)}\n` : renderDiff(d, [a, b]));
  return d.changed.some((c) => c.regression) ? 1 : 0;
}

/** Re-runs the cells two runs disagree on; exit 1 when any is flaky. */
export async function flakes(a: string, b: string, opts: { reruns: string; jobs: string; json: boolean; out?: string; scenariosDir?: string }): Promise<number> {
  cleanUpOnSignals();
  const reruns = Number(opts.reruns);
  if (!Number.isInteger(reruns) || reruns < 1) throw new UsageError(`--reruns: "${opts.reruns}" is not a positive whole number`);
  const jobs = Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs: "${opts.jobs}" is not a positive whole number`);
  const report = await findFlakes(readResultsFile(a), readResultsFile(b), {
    reruns,
    jobs,
    ...(opts.scenariosDir ? { scenariosDir: opts.scenariosDir } : {}),
    onRun: (i, run) => process.stderr.write(`go-dns-harness: re-run ${i}/${reruns}: ${run.cells.length} cells\n`),
  });
  if (opts.out) writeFileSync(opts.out, `${JSON.stringify(report, null, 1)}\n`);
  process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : renderFlakes(report));
  return report.cells.some((c) => c.flaky) ? 1 : 0;
}
