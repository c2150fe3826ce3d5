import type { CellResult } from '../results/model.js';

/** A cell's problems, one line each, named by lookup (and marked when known failing). */
export function problemLines(c: CellResult): string[] {
  return c.checks.flatMap((k) => k.problems.map((p) => `${k.knownFailing !== undefined ? `known failing (${k.knownFailing}): ` : ''}${k.lookup}: ${p}`));
}

/** What made a slow cell slow: each lookup's time. */
export function slowness(c: CellResult): string {
  return `slower than expected: ${c.lookups.map((l) => `${l.name} ${Math.round(l.elapsedMs)} ms`).join(', ')}`;
}
