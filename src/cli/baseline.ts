import { writeFileSync } from 'node:fs';
import { baselineFails, baselineFrom, checkBaseline, readBaseline, renderBaselineCheck, serializeBaseline } from '../results/baseline.js';
import { readResultsFile } from '../results/read.js';
import type { RunResult } from '../results/model.js';

/** Where the committed baseline of the default matrix lives. */
export const DEFAULT_BASELINE = 'baseline/default.json';


/** Writes the behaviour baseline of a result document. */
export function baselineWrite(results: string, out: string): number {
  const b = baselineFrom(readResultsFile(results));
  writeFileSync(out, serializeBaseline(b));
  process.stderr.write(`go-dns-harness: wrote ${out}: ${b.from.cells} cells from ${results} (${b.from.startedAt})\n`);
  return 0;
}

/** Checks a result document (or a finished run) against a baseline; 1 when any cell's behaviour changed or is new. */
export function baselineCheck(run: RunResult, file: string, write: (s: string) => void = (s) => void process.stdout.write(s)): number {
  const r = checkBaseline(run, readBaseline(file));
  write(renderBaselineCheck(r, file));
  return baselineFails(r) ? 1 : 0;
}

export const baselineCheckFile = (results: string, file: string): number => baselineCheck(readResultsFile(results), file);
