import type { Expectation, Scenario, When } from '../scenario/schema.js';
import { whenSelects } from '../plan/axes.js';
import type { CellAxes, ExpectationCheck, LookupOutcome, QueryRecord, Verdict } from './model.js';
import { wireProblems } from './wire-check.js';

/** An entry speaks for a cell's lookup when any item of its `when` holds. */
export const entryMatches = (e: Expectation, axes: CellAxes, lookup: string, outcome: LookupOutcome): boolean => e.when.some((w) => whenMatches(w, axes, lookup, outcome));

export function whenMatches(w: When, axes: CellAxes, lookup: string, outcome: LookupOutcome): boolean {
  if (w.path !== undefined && w.path !== outcome.declaredPath) return false;
  return whenSelects(w, axes, lookup);
}

/** Text that must contain `pattern`, or match it when it is written /a regex/flags. */
export function errorMatches(pattern: string, text: string): boolean {
  const re = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  return re ? new RegExp(re[1] as string, re[2]).test(text) : text.includes(pattern);
}

/**
 * The most specific `result` an expectation can name for this outcome: what suggest writes, what
 * diff and the reports print, and (by the test beside check) a value check accepts.
 */
export function resultOf(o: LookupOutcome): Expectation['result'] {
  if (o.ok) return 'ok';
  return o.isNotFound ? 'notfound' : o.isTimeout ? 'timeout' : o.isTemporary ? 'temporary' : 'error';
}

/** The problems with one lookup's outcome under one expectation; slow is reported apart. */
export function check(e: Expectation, o: LookupOutcome, wire: { lookup: string; queries: QueryRecord[][] } = { lookup: '', queries: [] }): { problems: string[]; slow: boolean } {
  const problems: string[] = [];
  const got = o.ok ? 'ok' : `error "${o.error ?? ''}"`;
  switch (e.result) {
    case 'ok': if (!o.ok) problems.push(`expected ok, got ${got}`); break;
    case 'error': if (o.ok) problems.push('expected an error, got ok'); break;
    case 'timeout': if (o.ok || !o.isTimeout) problems.push(`expected a timeout, got ${got}`); break;
    case 'notfound': if (o.ok || !o.isNotFound) problems.push(`expected "not found", got ${got}`); break;
    case 'temporary': if (o.ok || !o.isTemporary || o.isNotFound) problems.push(`expected a temporary failure, got ${got}`); break;
  }
  if (e.addrs && o.ok) {
    const want = [...e.addrs].sort().join(' ');
    const have = [...(o.addrs ?? [])].sort().join(' ');
    if (want !== have) problems.push(`expected addresses ${want || '(none)'}, got ${have || '(none)'}`);
  }
  if (e.addrCount !== undefined && o.ok && (o.addrs ?? []).length !== e.addrCount) problems.push(`expected ${e.addrCount} addresses, got ${(o.addrs ?? []).length}`);
  if (e.error !== undefined && !o.ok && !errorMatches(e.error, o.error ?? '')) problems.push(`expected the error to match ${e.error}, got "${o.error ?? ''}"`);
  if (e.path !== undefined && e.path !== o.declaredPath) problems.push(`expected the ${e.path} path, Go declared ${o.declaredPath}`);
  if (e.flags && !o.ok) {
    const have = { temporary: o.isTemporary, timeout: o.isTimeout, notFound: o.isNotFound };
    for (const [flag, want] of Object.entries(e.flags) as Array<[keyof typeof have, boolean | undefined]>) {
      if (want !== undefined && have[flag] !== want) problems.push(`expected Is${flag[0]?.toUpperCase()}${flag.slice(1)} ${want}, Go reported ${have[flag]}`);
    }
  }
  if (e.minMs !== undefined && o.elapsedMs < e.minMs) problems.push(`took ${o.elapsedMs.toFixed(0)} ms, under the ${e.minMs} ms it should wait`);
  if (e.wire) problems.push(...wireProblems(wire.lookup, e.wire, wire.queries));
  return { problems, slow: e.maxMs !== undefined && o.elapsedMs > e.maxMs };
}

/**
 * Holds each lookup to the first expectation that speaks for it. A lookup no expectation speaks
 * for fails: every cell a scenario produces must be stated.
 */
export function evaluate(s: Scenario, axes: CellAxes, outcomes: LookupOutcome[], queries: QueryRecord[][] = []): { verdict: Verdict; checks: ExpectationCheck[] } {
  const checks: ExpectationCheck[] = [];
  // Decided here, as each check is made, so a slow cell is never told from a failed one by its message.
  let slow = false;
  let failed = false;
  outcomes.forEach((o, i) => {
    const lookup = s.lookups[i] ?? `${o.kind} ${o.name}`;
    const idx = s.expect.findIndex((e) => entryMatches(e, axes, lookup, o));
    if (idx < 0) {
      checks.push({ lookup, expectation: -1, ok: false, problems: ['no expectation in the scenario covers this cell'] });
      failed = true;
      return;
    }
    const e = s.expect[idx] as Expectation;
    const r = check(e, o, { lookup, queries });
    if (e.knownFailing !== undefined) {
      // The ratchet: failing is what is expected here; meeting the expectation is the news.
      if (r.problems.length === 0 && !r.slow) {
        checks.push({ lookup, expectation: idx, ok: false, problems: [`marked knownFailing (${e.knownFailing}) but now meets the expectation: remove the marker`] });
        failed = true;
      } else checks.push({ lookup, expectation: idx, ok: true, knownFailing: e.knownFailing, problems: r.problems.length ? r.problems : ['slower than the limit'] });
      return;
    }
    if (r.slow) slow = true;
    if (r.problems.length) failed = true;
    checks.push({ lookup, expectation: idx, ok: r.problems.length === 0, problems: r.slow ? [...r.problems, `took ${o.elapsedMs.toFixed(0)} ms, over the ${e.maxMs} ms limit`] : r.problems });
  });
  if (outcomes.length !== s.lookups.length) {
    checks.push({ lookup: '(all)', expectation: -1, ok: false, problems: [`the probe reported ${outcomes.length} lookups, the scenario has ${s.lookups.length}`] });
    failed = true;
  }
  const known = checks.some((c) => c.knownFailing !== undefined);
  return { verdict: failed ? 'fail' : slow ? 'slow' : known ? 'xfail' : 'pass', checks };
}
