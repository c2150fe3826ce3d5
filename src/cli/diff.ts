import { renderDiff } from '../report/diff.js';
import { diffResults } from '../results/diff.js';
import { readResultsFile } from '../results/read.js';

/** Compares two result documents; exit 1 when a cell that passed in A fails in B. */
export function diff(a: string, b: string, opts: { acrossGo: boolean; json: boolean }): number {
  const d = diffResults(readResultsFile(a), readResultsFile(b), { ...(opts.acrossGo ? { acrossGo: true } : {}), files: [a, b] });
  process.stdout.write(opts.json ? `${JSON.stringify(d, null, 1)}\n` : renderDiff(d, [a, b]));
  return d.changed.some((c) => c.regression) ? 1 : 0;
}
