import { discoverToolchains } from '../go/toolchains.js';
import { diffResults, stateOf } from '../results/diff.js';
import type { CellResult, RunResult } from '../results/model.js';
import { wireKey } from '../results/wire-shape.js';
import { cellFromId } from '../plan/cell-from-id.js';
import { runMatrix } from './matrix.js';

export interface FlakeCell {
  id: string;
  /** How often each state (verdict, outcome per lookup, paths, wire) came up, over A, B and the re-runs. */
  states: Record<string, number>;
  runs: number;
  flaky: boolean;
  /** The share of runs that differ from the most common state. */
  rate: number;
}

export interface FlakeReport {
  reruns: number;
  cells: FlakeCell[];
}

const describe = (c: CellResult): string => {
  const s = stateOf(c);
  return `${s.verdict} ${s.outcome} ${s.path} [${wireKey(c)}]`;
};

/**
 * The flake filter: cells whose state differs between two runs of the same plan are run `reruns`
 * more times; a cell that does not always come to the same state is flaky, with the share of runs
 * that differ from its most common state.
 */
export async function findFlakes(a: RunResult, b: RunResult, opts: { reruns: number; jobs: number; scenariosDir?: string; onRun?: (i: number, run: RunResult) => void }): Promise<FlakeReport> {
  const candidates = diffResults(a, b, { acrossGo: false }).changed.map((c) => c.key);
  const byId = (r: RunResult) => new Map(r.cells.map((c) => [c.id, c]));
  const [ia, ib] = [byId(a), byId(b)];
  const history = new Map(candidates.map((id) => [id, [describe(ia.get(id) as CellResult), describe(ib.get(id) as CellResult)]]));
  if (candidates.length > 0 && opts.reruns > 0) {
    const toolchains = await discoverToolchains();
    const cells = await Promise.all(candidates.map((id) => cellFromId(id, { toolchains, ...(opts.scenariosDir ? { scenariosDir: opts.scenariosDir } : {}) })));
    for (let i = 1; i <= opts.reruns; i++) {
      const run = await runMatrix(cells, { jobs: opts.jobs });
      for (const c of run.cells) history.get(c.id)?.push(describe(c));
      opts.onRun?.(i, run);
    }
  }
  const out: FlakeCell[] = [];
  for (const [id, seen] of history) {
    const states: Record<string, number> = {};
    for (const s of seen) states[s] = (states[s] ?? 0) + 1;
    const top = Math.max(...Object.values(states));
    out.push({ id, states, runs: seen.length, flaky: Object.keys(states).length > 1, rate: 1 - top / seen.length });
  }
  return { reruns: opts.reruns, cells: out.sort((x, y) => y.rate - x.rate || x.id.localeCompare(y.id)) };
}
