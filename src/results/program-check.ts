/** A program cell against its dns-expect.yaml: the exit code, the output, the declared paths and the time. */
import { whenSelects } from '../plan/axes.js';
import { globRe } from '../scenario/load.js';
import type { ProgramExpectation, ProgramExpectations } from '../scenario/program-expect.js';
import { errorMatches } from './expect.js';
import type { CellAxes, ExpectationCheck, ProgramOutcome, Verdict } from './model.js';

/** The netdns trace lines Go writes to stderr: not the program's own words, so stderr patterns do not see them. */
export const withoutTrace = (stderr: string): string =>
  stderr
    .split('\n')
    .filter((l) => !l.includes('go package net: '))
    .join('\n');

/** The entry that speaks for a cell: the first whose scenarios and `when` both hold. */
export function programEntry(ex: ProgramExpectations, scenario: string, axes: CellAxes): number {
  return ex.expect.findIndex((e) => (e.scenarios === undefined || e.scenarios.some((p) => globRe(p).test(scenario))) && e.when.some((w) => whenSelects(w, axes, '')));
}

function exitText(p: ProgramOutcome): string {
  if (p.timedOut) return 'was killed at the cell\'s time limit';
  if (p.signal) return `was killed by ${p.signal}`;
  return `exited ${p.exitCode}`;
}

/** The problems with a program's run under one entry; slow (over maxMs) is reported apart. */
export function checkProgramRun(e: ProgramExpectation, p: ProgramOutcome): { problems: string[]; slow: boolean } {
  const problems: string[] = [];
  if (p.exitCode === null || !e.exit.includes(p.exitCode)) problems.push(`expected exit ${e.exit.join(' or ')}, the program ${exitText(p)}`);
  if (e.stdout !== undefined && !errorMatches(e.stdout, p.stdout)) problems.push(`expected stdout to match ${e.stdout}${p.stdout ? '' : ' (it wrote nothing)'}`);
  if (e.stderr !== undefined && !errorMatches(e.stderr, withoutTrace(p.stderr))) problems.push(`expected stderr to match ${e.stderr}`);
  if (e.paths) {
    if (p.paths.length === 0) problems.push(`expected each lookup on ${e.paths.join(' or ')}, but the netdns trace shows no lookup (did the program resolve a name?)`);
    for (const x of p.paths) if (!e.paths.includes(x.path as 'go' | 'cgo')) problems.push(`${x.name}: Go declared ${x.path}, expected ${e.paths.join(' or ')}`);
  }
  if (e.minMs !== undefined && p.elapsedMs < e.minMs) problems.push(`took ${Math.round(p.elapsedMs)} ms, under the ${e.minMs} ms it must wait`);
  return { problems, slow: e.maxMs !== undefined && p.elapsedMs > e.maxMs };
}

/** A program cell's verdict and its one check; the check is named after the program. */
export function evaluateProgram(ex: ProgramExpectations, scenario: string, axes: CellAxes, p: ProgramOutcome): { verdict: Verdict; checks: ExpectationCheck[] } {
  const lookup = `program ${p.name}`;
  const idx = programEntry(ex, scenario, axes);
  if (idx < 0) return { verdict: 'fail', checks: [{ lookup, expectation: -1, ok: false, problems: [`no entry of ${ex.source} covers this cell`] }] };
  const { problems, slow } = checkProgramRun(ex.expect[idx] as ProgramExpectation, p);
  const took = slow ? [`took ${Math.round(p.elapsedMs)} ms, over the ${ex.expect[idx]?.maxMs} ms limit`] : [];
  return { verdict: problems.length ? 'fail' : slow ? 'slow' : 'pass', checks: [{ lookup, expectation: idx, ok: problems.length === 0, problems: [...problems, ...took] }] };
}
