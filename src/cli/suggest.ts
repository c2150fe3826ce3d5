import { readFileSync, writeFileSync } from 'node:fs';
import { evaluate } from '../results/expect.js';
import { parseResults } from '../results/merge.js';
import { loadScenarios, parseScenario, scenariosDir, selectScenarios } from '../scenario/load.js';
import { suggestExpectations, withExpectations } from '../scenario/suggest.js';

/**
 * Prints (or with --write, writes into the scenario files) strict expectations derived from a run's
 * cells, and checks them against those cells before saying anything.
 */
export function suggest(results: string, patterns: string[], opts: { write: boolean; scenariosDir?: string }): number {
  const run = parseResults(readFileSync(results, 'utf8'), results);
  const all = loadScenarios(opts.scenariosDir ?? scenariosDir());
  const ran = new Set(run.cells.map((c) => c.axes.scenario));
  const chosen = selectScenarios(all, patterns).filter((s) => ran.has(s.name));
  let failing = 0;
  for (const s of chosen) {
    const cells = run.cells.filter((c) => c.axes.scenario === s.name);
    const entries = suggestExpectations(s, cells);
    const text = withExpectations(readFileSync(s.source, 'utf8'), entries);
    const next = parseScenario(text, s.source);
    const wrong = cells.filter((c) => c.verdict !== 'skip' && c.verdict !== 'error').filter((c) => evaluate(next, c.axes, c.lookups, c.queries).verdict === 'fail');
    failing += wrong.length;
    const note = `${s.name}: ${entries.length} entries for ${cells.length} cells${wrong.length ? `; ${wrong.length} cell(s) would fail them: ${wrong.slice(0, 3).map((c) => c.id).join(', ')}` : ''}`;
    if (opts.write && wrong.length === 0) writeFileSync(s.source, text);
    process.stderr.write(`go-dns-harness: ${note}${opts.write ? (wrong.length ? ' (not written)' : ' (written)') : ''}\n`);
    if (!opts.write) process.stdout.write(`# ${s.source}\n${text.slice(text.indexOf('\nexpect:') + 1)}\n`);
  }
  return failing ? 1 : 0;
}
