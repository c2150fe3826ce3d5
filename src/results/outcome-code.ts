import type { CellResult, LookupOutcome, ProgramOutcome } from './model.js';

/** How a reader should take an outcome: it worked, it worked badly (slowly, partly), or it failed. */
export type OutcomeClass = 'works' | 'degraded' | 'fails';

export interface OutcomeDef {
  /** The code tables print. */
  code: string;
  /** A shorter form for the 100-column terminal grid. */
  short: string;
  class: OutcomeClass;
  /** What the code means, for the legend. */
  meaning: string;
}

/**
 * The fixed vocabulary of what a lookup came to, first match wins. Error texts are Go's own (its
 * resolver's) or glibc's and musl's as Go passes them on; the table is the one place that knows them.
 */
const VOCABULARY: Array<OutcomeDef & { test: (l: LookupOutcome) => boolean }> = [
  { code: 'ok', short: 'ok', class: 'works', meaning: 'resolved', test: (l) => l.ok },
  { code: 'nxdomain', short: 'nx', class: 'fails', meaning: 'not found: "no such host" (NXDOMAIN, or no such name anywhere it looked)', test: (l) => l.isNotFound },
  { code: 'timeout', short: 'tmo', class: 'fails', meaning: 'Go gave up waiting: "i/o timeout"', test: (l) => l.isTimeout || /i\/o timeout/.test(l.error ?? '') },
  { code: 'misbehaving', short: 'misb', class: 'fails', meaning: 'Go\'s resolver got REFUSED, SERVFAIL, FORMERR or a bad reply: "server misbehaving"', test: (l) => /server misbehaving/.test(l.error ?? '') },
  { code: 'temp-fail', short: 'temp', class: 'fails', meaning: 'the C library gave up (EAI_AGAIN): "Temporary failure in name resolution" (glibc), "Try again" (musl)', test: (l) => /Temporary failure in name resolution|Try again/.test(l.error ?? '') },
  { code: 'refused-port', short: 'conn', class: 'fails', meaning: 'nothing listens on the nameserver\'s port: "connection refused"', test: (l) => /connection refused/.test(l.error ?? '') },
  { code: 'eof', short: 'eof', class: 'fails', meaning: 'the TCP connection closed before a reply: "EOF"', test: (l) => /\bEOF$/.test(l.error ?? '') },
  { code: 'no-answer', short: 'noans', class: 'fails', meaning: 'a reply with no usable answer: "no answer from DNS server"', test: (l) => /no answer from DNS server/.test(l.error ?? '') },
  { code: 'no-address', short: 'noadr', class: 'fails', meaning: 'the name exists but has no address of the kind asked: "No address associated with hostname" (glibc), "Name has no usable address" (musl), "no suitable address found" (Go)', test: (l) => /No address associated with hostname|Name has no usable address|no suitable address found/.test(l.error ?? '') },
  { code: 'error', short: 'err', class: 'fails', meaning: 'any other error (its text is in the cell\'s details)', test: () => true },
];

/** A lookup that succeeded only for IPv4 where other cells of its scenario also got IPv6. */
export const A_ONLY: OutcomeDef = { code: 'ok-A-only', short: 'ok4', class: 'degraded', meaning: 'resolved, but only to IPv4 addresses where other cells of the scenario also got IPv6' };

/** A lookup that worked only after waiting (a timeout, a retry): slower than this reads as degraded. */
export const SLOW_OK_MS = 500;

export const LEGEND: OutcomeDef[] = [...VOCABULARY.slice(0, 1), A_ONLY, ...VOCABULARY.slice(1)].map(({ code, short, class: cls, meaning }) => ({ code, short, class: cls, meaning }));

export interface LookupCode extends OutcomeDef {
  /** `1.0s`, `3.0s`, ... when the lookup took long enough to matter; '' when it was quick. */
  time: string;
}

/**
 * Times under a quarter second are "at once"; above, one decimal of seconds is the class (the
 * resolvers wait whole seconds or halves, so the class says which wait it was).
 */
export function timeClass(ms: number): string {
  if (ms < 250) return '';
  return ms < 9_950 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/** The time class in the fewest characters, for the terminal: 5.0s -> 5s. */
export const shortTime = (cls: string): string => cls.replace(/\.0s$/, 's');

/**
 * The code of one lookup. `ipv6Seen`: whether any cell of the scenario got an IPv6 address for
 * this lookup, so an IPv4-only answer can be told from a name that has no IPv6.
 */
export function lookupCode(l: LookupOutcome, ipv6Seen = false): LookupCode {
  const def = VOCABULARY.find((v) => v.test(l)) as OutcomeDef;
  const aOnly = l.ok && l.kind === 'host' && ipv6Seen && (l.addrs ?? []).length > 0 && !(l.addrs ?? []).some((a) => a.includes(':'));
  const base = aOnly ? A_ONLY : def;
  const time = timeClass(l.elapsedMs);
  const cls = base.class === 'works' && l.elapsedMs >= SLOW_OK_MS ? 'degraded' : base.class;
  return { code: base.code, short: base.short, class: cls, meaning: base.meaning, time };
}

/** Where there is no colour (Markdown): a mark per class stands in for it. */
export const CLASS_MARK: Record<OutcomeClass, string> = { works: '🟢', degraded: '🟡', fails: '🔴' };

const RANK: Record<OutcomeClass, number> = { works: 0, degraded: 1, fails: 2 };

/** Per scenario and lookup index, whether any cell got an IPv6 address. */
export function ipv6SeenBy(cells: CellResult[]): (c: CellResult, i: number) => boolean {
  const seen = new Set<string>();
  for (const c of cells) c.lookups.forEach((l, i) => (l.addrs ?? []).some((a) => a.includes(':')) && seen.add(`${c.axes.scenario}#${i}`));
  return (c, i) => seen.has(`${c.axes.scenario}#${i}`);
}

export interface CellCode {
  /** Each lookup's code, in the scenario's order. */
  lookups: LookupCode[];
  /** The worst class among the lookups: what the cell is coloured by. */
  class: OutcomeClass;
}

/** What a program cell (run --program) came to, by its own measure: its exit. */
export const PROGRAM_LEGEND: OutcomeDef[] = [
  { code: 'exit-0', short: 'ex0', class: 'works', meaning: 'your program (run --program) exited 0' },
  { code: 'exit-N', short: 'exN', class: 'fails', meaning: 'your program exited with code N (its output is in the cell\'s details)' },
  { code: 'killed', short: 'kill', class: 'fails', meaning: "your program was killed: at the cell's time limit, or by a signal" },
];

function programCode(p: ProgramOutcome): LookupCode {
  const [exited0, exitedN, killed] = PROGRAM_LEGEND as [OutcomeDef, OutcomeDef, OutcomeDef];
  const def = p.timedOut || p.signal || p.exitCode === null ? killed : p.exitCode === 0 ? exited0 : { ...exitedN, code: `exit-${p.exitCode}`, short: `ex${p.exitCode}` };
  return { ...def, time: timeClass(p.elapsedMs) };
}

export function cellOutcome(c: CellResult, ipv6Seen: (c: CellResult, i: number) => boolean = () => false): CellCode {
  if (c.program) {
    const code = programCode(c.program);
    return { lookups: [code], class: code.class };
  }
  const lookups = c.lookups.map((l, i) => lookupCode(l, ipv6Seen(c, i)));
  const cls = lookups.reduce<OutcomeClass>((w, l) => (RANK[l.class] > RANK[w] ? l.class : w), 'works');
  return { lookups, class: lookups.length ? cls : 'fails' };
}
