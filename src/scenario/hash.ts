import { createHash } from 'node:crypto';
import type { Scenario } from './schema.js';

/** Objects with their keys in order, so the order a schema lists its fields in is not part of the hash. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A short hash of a set of scenarios as parsed (comments, formatting and key order aside): a published doc
 * names the set it was generated from, and a test compares it with the shipped set, so a changed
 * scenario cannot leave a doc behind unnoticed.
 */
export function scenarioSetHash(scenarios: Scenario[]): string {
  const h = createHash('sha256');
  for (const s of [...scenarios].sort((a, b) => a.name.localeCompare(b.name))) {
    const { source: _, ...data } = s;
    h.update(`${JSON.stringify(data, sortedKeys)}\n`);
  }
  return h.digest('hex').slice(0, 12);
}
