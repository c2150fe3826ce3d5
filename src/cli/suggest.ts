import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { evaluate } from '../results/expect.js';
import { readResultsFile } from '../results/read.js';
import type { RunResult } from '../results/model.js';
import { loadScenarios, parseScenario, scenariosDir, selectScenarios } from '../scenario/load.js';
import { suggestExpectations, unstableCells, withExpectations } from '../scenario/suggest.js';

/**
 * Prints (or with --write, writes into the scenario files) strict expectations derived from one
 * or more runs of a plan, and checks them against every run's cells before saying anything. A
 * scenario with a cell whose outcome differed between the runs is reported and not written.
 */
export function suggest(args: string[], opts: { write: boolean; scenariosDir?: string }): number {
  const files = args.filter((a) => a.endsWith('.json'));
  const patterns = args.filter((a) => !a.endsWith('.json'));
  if (files.length === 0) throw new UsageError('usage: go-dns-harness suggest RESULTS.json [MORE.json ...] [NAME|GLOB ...] [--write]');
  const runs: RunResult[] = files.map((f) => readResultsFile(f));
  const [first, ...more] = runs as [RunResult, ...RunResult[]];
  const all = loadScenarios(opts.scenariosDir ?? scenariosDir());
  const ran = new Set(first.cells.map((c) => c.axes.scenario));
  const chosen = selectScenarios(all, patterns).filter((s) => ran.has(s.name));
  let failing = 0;
  for (const s of chosen) {
    const of = (r: RunResult) => r.cells.filter((c) => c.axes.scenario === s.name);
    const cells = of(first);
    const others = more.map(of);
    const unstable = unstableCells(s, cells, others);
    if (unstable.length) {
      failing += unstable.length;
      process.stderr.write(`go-dns-harness: ${s.name}: ${unstable.length} cell(s) came out differently between the runs, so no entry can state them: ${unstable.slice(0, 3).join(', ')} (not written)\n`);
      continue;
    }
    const entries = suggestExpectations(s, cells, others);
    const text = withExpectations(readFileSync(s.source, 'utf8'), entries);
    const next = parseScenario(text, s.source);
    const wrong = [cells, ...others].flat().filter((c) => c.verdict !== 'skip' && c.verdict !== 'error').filter((c) => evaluate(next, c.axes, c.lookups, c.queries).verdict === 'fail');
    failing += wrong.length;
    const note = `${s.name}: ${entries.length} entries for ${cells.length} cells over ${runs.length} run(s)${wrong.length ? `; ${wrong.length} cell(s) would fail them: ${wrong.slice(0, 3).map((c) => c.id).join(', ')}` : ''}`;
    if (opts.write && wrong.length === 0) writeFileSync(s.source, text);
    process.stderr.write(`go-dns-harness: ${note}${opts.write ? (wrong.length ? ' (not written)' : ' (written)') : ''}\n`);
    if (!opts.write) process.stdout.write(`# ${s.source}\n${text.slice(text.indexOf('\nexpect:') + 1)}\n`);
  }
  return failing ? 1 : 0;
}
