import { ResultsError } from './read.js';
import { SCHEMA_VERSION, summarize, type RunResult } from './model.js';

/** Shards of one plan must all be there, each once; a lost shard would silently shrink the matrix. */
function checkShards(runs: RunResult[]): void {
  const shards = runs.map((r) => r.meta.shard);
  if (shards.every((s) => s === undefined)) return;
  const counts = new Set(shards.map((s) => s?.count));
  if (shards.some((s) => s === undefined) || counts.size !== 1) throw new ResultsError(`these are not shards of one plan: ${shards.map((s) => (s ? `${s.index}/${s.count}` : 'unsharded')).join(', ')}`);
  const count = [...counts][0] as number;
  const have = new Set(shards.map((s) => s!.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !have.has(i));
  if (missing.length) throw new ResultsError(`shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing: merge needs all ${count} shards`);
}

/**
 * Merges the results of shards of one plan into the result the unsharded run gives: cells sorted
 * by id, each exactly once, the summary recomputed, the shard marker dropped.
 */
export function mergeResults(runs: RunResult[]): RunResult {
  const first = runs[0];
  if (!first) throw new ResultsError('merge needs at least one result file');
  const seen = new Map<string, number>();
  const cells = runs.flatMap((r, i) =>
    r.cells.map((c) => {
      if (seen.has(c.id)) throw new ResultsError(`cell ${c.id} is in result ${seen.get(c.id)! + 1} and ${i + 1}: these are not shards of one plan`);
      seen.set(c.id, i);
      return c;
    }),
  );
  checkShards(runs);
  cells.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { shard: _shard, ...meta } = first.meta;
  const toolchains = new Map(runs.flatMap((r) => r.meta.toolchains).map((t) => [t.version, t]));
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: {
      ...meta,
      startedAt: runs.map((r) => r.meta.startedAt).sort()[0] as string,
      finishedAt: runs.map((r) => r.meta.finishedAt).sort().at(-1) as string,
      toolchains: [...toolchains.values()].sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true })),
    },
    cells,
    summary: summarize(cells),
  };
}
