import { writeFileSync } from 'node:fs';
import { renderFlakes } from '../report/flakes.js';
import { findFlakes } from '../run/flakes.js';
import { readResultsFile } from '../results/read.js';
import { cleanUpOnSignals } from '../sandbox/registry.js';

/** Re-runs the cells two runs disagree on; exit 1 when any is flaky. */
export async function flakes(a: string, b: string, opts: { reruns: number; jobs: number; json: boolean; out?: string; scenariosDir?: string }): Promise<number> {
  cleanUpOnSignals();
  const report = await findFlakes(readResultsFile(a), readResultsFile(b), {
    reruns: opts.reruns,
    jobs: opts.jobs,
    ...(opts.scenariosDir ? { scenariosDir: opts.scenariosDir } : {}),
    onRun: (i, run) => process.stderr.write(`go-dns-harness: re-run ${i}/${opts.reruns}: ${run.cells.length} cells\n`),
  });
  if (opts.out) writeFileSync(opts.out, `${JSON.stringify(report, null, 1)}\n`);
  process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : renderFlakes(report));
  return report.cells.some((c) => c.flaky) ? 1 : 0;
}
