import { createHash } from 'node:crypto';
import type { Scenario } from './schema.js';

/**
 * A short hash of a set of scenarios as parsed (comments and formatting aside): a published doc
 * names the set it was generated from, and a test compares it with the shipped set, so a changed
 * scenario cannot leave a doc behind unnoticed.
 */
export function scenarioSetHash(scenarios: Scenario[]): string {
  const h = createHash('sha256');
  for (const s of [...scenarios].sort((a, b) => a.name.localeCompare(b.name))) {
    const { source: _, ...data } = s;
    h.update(`${JSON.stringify(data)}\n`);
  }
  return h.digest('hex').slice(0, 12);
}
