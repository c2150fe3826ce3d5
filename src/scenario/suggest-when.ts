/**
 * Which cells an entry of `suggest` speaks for, in a `when`: the fewest clauses (build settings and
 * a Go range) that pick exactly a group of cells that behaved alike out of all the measured ones.
 */
import { whenMatches } from '../results/expect.js';
import { allAxes, whenValue, type Axis } from '../plan/axes.js';
import type { CellResult, LookupOutcome } from '../results/model.js';
import type { When } from './schema.js';

/** A cell's lookup as measured: in the first run, and in every run given. */
export interface Measured {
  /** The cell in the first run (its axes, checks and repro). */
  cell: CellResult;
  outcome: LookupOutcome;
  /** The same cell in every run given, the first included. */
  runs: Array<{ cell: CellResult; outcome: LookupOutcome }>;
}

/**
 * The settings a `when` can select by, in the order they are tried for dropping: the axes last in
 * a cell id (go.mod line, tags, GODEBUG) tell least, CGO_ENABLED most.
 */
const dropOrder = (): Axis[] => [...allAxes()].reverse();

/** The value that selects a cell on each axis that applies to it. */
type Atom = Record<string, string>;

const atomOf = (c: CellResult): Atom => {
  const out: Atom = {};
  for (const x of allAxes()) {
    const v = x.when.selector(c.axes);
    if (v !== undefined) out[x.key] = v;
  }
  return out;
};

/** A clause: fixed selector values per axis (absent: any; a list-valued axis may hold several) and a Go minor range. */
interface Clause {
  fixed: Record<string, string[]>;
  go?: [number, number];
}

/**
 * A Go range as written: open-ended where it reaches the run's oldest or newest Go, so a Go
 * release the run did not have is held to its neighbour's behaviour rather than to nothing.
 */
function goRange([lo, hi]: [number, number], minors: number[]): string | undefined {
  const first = minors[0];
  const last = minors[minors.length - 1];
  if (lo === first && hi === last) return undefined;
  if (lo === hi) return `1.${lo}`;
  if (hi === last) return `>=1.${lo}`;
  if (lo === first) return `<=1.${hi}`;
  return `1.${lo}-1.${hi}`;
}

function toWhen(cl: Clause, minors: number[]): When {
  const w: Record<string, unknown> = {};
  const go = cl.go && goRange(cl.go, minors);
  if (go) w.go = [go];
  for (const x of allAxes()) {
    const values = cl.fixed[x.key];
    if (values !== undefined) w[x.key] = whenValue(x, values);
  }
  return w as When;
}

const matches = (cl: Clause, c: CellResult, lookup: string, o: LookupOutcome, minors: number[]): boolean => whenMatches(toWhen(cl, minors), c.axes, lookup, o);

/** The fewest clauses (each a conjunction of settings and a Go range) that pick exactly `group` out of `all`. */
export function selectors(group: Measured[], all: Measured[], lookup: string): When[] {
  const inGroup = new Set(group.map((m) => m.cell.id));
  const minors = [...new Set(all.map((m) => m.cell.axes.goMinor))].sort((a, b) => a - b);
  const hit = (cl: Clause, m: Measured) => matches(cl, m.cell, lookup, m.outcome, minors);
  const exact = (cl: Clause) => all.every((m) => !hit(cl, m) || inGroup.has(m.cell.id));
  // Start from one clause per setting combination and run of Go versions, then widen each as far as it stays exact.
  const byAtom = new Map<string, { atom: Atom; minors: Set<number> }>();
  for (const m of group) {
    const a = atomOf(m.cell);
    const k = JSON.stringify(a);
    const e = byAtom.get(k) ?? { atom: a, minors: new Set<number>() };
    e.minors.add(m.cell.axes.goMinor);
    byAtom.set(k, e);
  }
  let clauses: Clause[] = [];
  for (const { atom, minors: have } of byAtom.values()) {
    let run: number[] = [];
    const flush = () => {
      if (run.length) clauses.push({ fixed: Object.fromEntries(Object.entries(atom).map(([k, v]) => [k, [v]])), go: [run[0] as number, run[run.length - 1] as number] });
      run = [];
    };
    for (const v of minors) (have.has(v) ? run.push(v) : flush());
    flush();
  }
  const widen = (cl: Clause): Clause => {
    let cur = cl;
    const anyGo: Clause = { fixed: cur.fixed };
    if (exact(anyGo)) cur = anyGo;
    for (const x of dropOrder()) {
      const { [x.key]: value, ...rest } = cur.fixed;
      if (value === undefined) continue;
      const next: Clause = { fixed: rest, ...(cur.go ? { go: cur.go } : {}) };
      if (exact(next)) cur = next;
      else {
        // A family rather than one value where that stays exact (every musl, rather than musl-1.2.3).
        const wider = value.length === 1 ? x.when.family?.(value[0] as string) : undefined;
        const family: Clause = { fixed: { ...rest, [x.key]: [wider as string] }, ...(cur.go ? { go: cur.go } : {}) };
        if (wider !== undefined && exact(family)) cur = family;
      }
    }
    return cur;
  };
  clauses = clauses.map(widen);
  // Clauses that differ only in netdns become one with a list, then widen again.
  const merged = new Map<string, Clause>();
  for (const cl of clauses) {
    const { netdns, ...rest } = cl.fixed;
    const k = JSON.stringify([rest, cl.go ?? null]);
    const prev = merged.get(k);
    if (!prev) merged.set(k, { fixed: { ...cl.fixed }, ...(cl.go ? { go: cl.go } : {}) });
    else if (prev.fixed.netdns && netdns) prev.fixed.netdns = [...new Set([...prev.fixed.netdns, ...netdns])].sort();
    else delete prev.fixed.netdns;
  }
  clauses = [...merged.values()].map(widen);
  // Clauses another one already covers go; equal ones once.
  const covered = (a: Clause, b: Clause) => group.every((m) => !hit(a, m) || hit(b, m));
  const kept: Clause[] = [];
  for (const cl of clauses.sort((a, b) => Object.keys(a.fixed).length - Object.keys(b.fixed).length)) if (!kept.some((k) => covered(cl, k))) kept.push(cl);
  return kept.map((cl) => toWhen(cl, minors));
}

