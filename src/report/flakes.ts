import type { FlakeReport } from '../run/flakes.js';

/** The flakes report as text: each disputed cell, whether it is flaky, and the results it took. */
export function renderFlakes(r: FlakeReport): string {
  const flaky = r.cells.filter((c) => c.flaky);
  const lines = [`${r.cells.length} cell(s) differed between the two runs and were run ${r.reruns} more time(s) each: ${flaky.length} flaky (rate: the share of runs that differ from the cell's most common result)`];
  for (const c of r.cells) {
    lines.push(`${c.flaky ? `FLAKY ${(c.rate * 100).toFixed(0).padStart(3)}%` : 'stable     '} ${c.id}`);
    for (const [s, n] of Object.entries(c.states)) lines.push(`    ${n}/${c.runs}  ${s}`);
  }
  return `${lines.join('\n')}\n`;
}
