/**
 * Strict expectations from measured cells: per lookup, the cells that behaved the same (outcome,
 * words, flags, path, addresses, queries per server, EDNS0, time) become one entry, selected by
 * the fewest build settings that pick exactly those cells, with time bounds from the measured
 * spread. What it writes is a starting point a person reads: the `why` of the entry that spoke for
 * most of the cells is carried over, and must be checked against the new split.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { entryMatches, resultOf } from '../results/expect.js';
import type { CellResult, LookupOutcome } from '../results/model.js';
import { sameTime } from '../results/signature.js';
import { cellOverlap, queriesFor } from '../results/wire-check.js';
import type { Scenario, When, WireExpect } from './schema.js';
import { selectors, type Measured } from './suggest-when.js';


/** The words an expectation should hold the error to: its last part, without addresses and ports. */
export const errorWords = (error: string): string => error.split(': ').at(-1)?.trim() ?? error;

/** What one fake server saw for the lookup, as an expectation; real-stub cells state presence only (resolved's timers set the counts). */
function wireOf(lookup: string, c: CellResult): WireExpect[] {
  return c.queries.map((qs, server) => {
    const mine = queriesFor(lookup, qs);
    const udp = mine.filter((q) => q.transport === 'udp').length;
    const tcp = mine.length - udp;
    const sizes = new Set(mine.map((q) => (q.edns ? q.edns.udpSize : 0)));
    const w: WireExpect = { server, queries: mine.length, udp, tcp };
    if (c.axes.stub === 'real') {
      w.queries = mine.length ? '>=1' : 0;
      delete w.udp;
      delete w.tcp;
    }
    if (mine.length && sizes.size === 1) w.opt = [...sizes][0] === 0 ? 'none' : ([...sizes][0] as number);
    else if (mine.length && !sizes.has(0)) w.opt = 'present';
    const overlap = cellOverlap(c.axes.stub, mine);
    if (overlap !== undefined) w.overlap = overlap;
    return w;
  });
}

/**
 * The wire over several runs of one cell: a count that differed from run to run (glibc's rotate
 * picks its first server at random) becomes the range it took; an EDNS0 statement is kept only
 * where every run agrees, and so is whether the queries came at once.
 */
function wireOfRuns(lookup: string, runs: CellResult[]): WireExpect[] {
  const each = runs.map((c) => wireOf(lookup, c));
  const first = each[0] ?? [];
  return first.map((w, server) => {
    const out: WireExpect = { ...w };
    for (const k of ['queries', 'udp', 'tcp'] as const) {
      const vals = each.map((e) => e[server]?.[k]);
      if (vals.some((v) => typeof v !== 'number')) continue;
      const nums = vals as number[];
      const lo = Math.min(...nums);
      const hi = Math.max(...nums);
      out[k] = lo === hi ? lo : `${lo}-${hi}`;
    }
    for (const k of ['opt', 'overlap'] as const) {
      if (new Set(each.map((e) => JSON.stringify(e[server]?.[k] ?? null))).size > 1) delete out[k];
    }
    return out;
  });
}

/** More addresses than this are stated as a count. */
const MANY = 8;

const slowest = (m: Measured): number => Math.max(...m.runs.map((r) => r.outcome.elapsedMs));

/**
 * Cells that behaved alike but waited differently, split where the wait differs as the baseline
 * counts a difference (sameTime), so one busy-machine stall does not make an entry of its own
 * while a whole retry round does.
 */
export function byTime(group: Measured[]): Measured[][] {
  const sorted = [...group].sort((a, b) => slowest(a) - slowest(b));
  const out: Measured[][] = [];
  let start = -Infinity;
  for (const m of sorted) {
    const t = slowest(m);
    if (!out.length || !sameTime(start, t)) {
      out.push([]);
      start = t;
    }
    out[out.length - 1]!.push(m);
  }
  // Each cluster in the order the cells came, so the selectors (and the file) do not follow the times.
  const order = new Map(group.map((m, i) => [m, i]));
  return out.map((list) => list.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
}

/** What a lookup came to, without the wire and the time: the part that must not differ between runs of one cell. */
function outcomeKey(o: LookupOutcome): string {
  return JSON.stringify([
    resultOf(o),
    o.ok ? ((o.addrs ?? []).length > MANY ? (o.addrs ?? []).length : [...(o.addrs ?? [])].sort()) : errorWords(o.error ?? ''),
    o.ok ? [] : [o.isTemporary, o.isTimeout, o.isNotFound],
    o.declaredPath,
  ]);
}

function behaviourKey(lookup: string, m: Measured): string {
  const o = m.outcome;
  return JSON.stringify([
    resultOf(o),
    o.ok ? ((o.addrs ?? []).length > MANY ? (o.addrs ?? []).length : [...(o.addrs ?? [])].sort()) : errorWords(o.error ?? ''),
    o.ok ? [] : [o.isTemporary, o.isTimeout, o.isNotFound],
    o.declaredPath,
    wireOfRuns(lookup, m.runs.map((r) => r.cell)),
  ]);
}

/** The behaviour with the per-server counts summed: what cells that only picked another server share. */
function spreadKey(lookup: string, m: Measured): string {
  const sum = (ws: WireExpect[]) => ws.reduce((n, w) => n + (typeof w.queries === 'number' ? w.queries : 0), 0);
  return JSON.stringify([outcomeKey(m.outcome), m.runs.map((r) => sum(wireOf(lookup, r.cell))).sort()[0]]);
}

/** Whether the cell's queries went to other servers in different runs. */
const wireVaries = (lookup: string, m: Measured): boolean => new Set(m.runs.map((r) => JSON.stringify(wireOf(lookup, r.cell)))).size > 1;

/** Bounds from the measured spread: 0.8x the fastest and 1.6x the slowest, never under a second for the upper. */
export function timeBounds(ms: number[]): { minMs: number; maxMs: number } {
  const lo = Math.min(...ms);
  const hi = Math.max(...ms);
  return { minMs: lo < 250 ? 0 : Math.floor((0.8 * lo) / 50) * 50, maxMs: Math.max(1000, Math.ceil((1.6 * hi) / 100) * 100) };
}

export interface SuggestedEntry {
  when: When[];
  lookup?: string;
  path?: 'go' | 'cgo';
  result: string;
  addrs?: string[];
  /** Long answers are held to their count, not listed. */
  addrCount?: number;
  error?: string;
  flags?: { temporary: boolean; timeout: boolean; notFound: boolean };
  minMs: number;
  maxMs: number;
  wire: WireExpect[];
  why?: string;
  /** Cells it speaks for (for the reader; not written). */
  cells: number;
}

/** Cells of one scenario whose outcome (not wire, not time) differed between the runs: no entry can state them. */
export function unstableCells(s: Scenario, cells: CellResult[], moreRuns: CellResult[][] = []): string[] {
  const others = moreRuns.map((run) => new Map(run.map((c) => [c.id, c])));
  return cells.filter((c) => others.some((o) => {
    const d = o.get(c.id);
    return d !== undefined && s.lookups.some((_, i) => c.lookups[i] && d.lookups[i] && outcomeKey(c.lookups[i] as LookupOutcome) !== outcomeKey(d.lookups[i] as LookupOutcome));
  })).map((c) => c.id);
}

/**
 * Strict entries for one scenario from its measured cells; `moreRuns`, other runs of the same
 * plan, widen the wire counts and time bounds to what each cell did across all of them.
 */
export function suggestExpectations(s: Scenario, cells: CellResult[], moreRuns: CellResult[][] = []): SuggestedEntry[] {
  const out: SuggestedEntry[] = [];
  const others = moreRuns.map((run) => new Map(run.map((c) => [c.id, c])));
  s.lookups.forEach((lookup, i) => {
    const all: Measured[] = cells
      .filter((c) => c.verdict !== 'skip' && c.verdict !== 'error' && c.lookups[i])
      .map((c) => {
        const runs = [c, ...others.map((o) => o.get(c.id)).filter((d): d is CellResult => d !== undefined && d.verdict !== 'skip' && d.verdict !== 'error' && d.lookups[i] !== undefined)];
        return { cell: c, outcome: c.lookups[i] as LookupOutcome, runs: runs.map((r) => ({ cell: r, outcome: r.lookups[i] as LookupOutcome })) };
      });
    const byKey = new Map<string, Measured[]>();
    for (const m of all) {
      const k = behaviourKey(lookup, m);
      byKey.set(k, [...(byKey.get(k) ?? []), m]);
    }
    // Where a cell's choice of server varied between runs (glibc's rotate), the cells that split
    // by server alone in these runs are one behaviour: merged, their counts become ranges.
    const groups = new Map<string, Measured[]>();
    for (const [k, list] of byKey) {
      const loose = spreadKey(lookup, list[0] as Measured);
      const varies = [...byKey.values()].some((l) => spreadKey(lookup, l[0] as Measured) === loose && l.some((m) => wireVaries(lookup, m)));
      const key = varies ? `spread:${loose}` : k;
      groups.set(key, [...(groups.get(key) ?? []), ...list]);
    }
    for (const group of [...groups.values()].flatMap(byTime)) {
      const first = group[0] as Measured;
      const o = first.outcome;
      // The why of the entry in the scenario as it is now that speaks for most of these cells (not
      // the index the run recorded: the run may have been judged by an older version of the file).
      const votes = new Map<number, number>();
      for (const m of group) {
        const idx = s.expect.findIndex((e) => entryMatches(e, m.cell.axes, lookup, m.outcome));
        if (idx >= 0) votes.set(idx, (votes.get(idx) ?? 0) + 1);
      }
      const from = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
      const why = from !== undefined ? s.expect[from]?.why : undefined;
      const when = selectors(group, all, lookup).map((w) => (s.lookups.length > 1 ? { ...w, lookup } : w));
      const path = o.declaredPath === 'go' || o.declaredPath === 'cgo' ? o.declaredPath : undefined;
      const times = group.flatMap((m) => m.runs.map((r) => r.outcome.elapsedMs));
      const bounds = timeBounds(times);
      // Behind the real systemd-resolved the time follows its timers racing the client's, and one
      // run does not show the whole spread: keep the old entry's limit where it was wider, and
      // half the fastest as the floor (issue 20 measured 1 cell in 360 a retry step later).
      if (group.some((m) => m.cell.axes.stub === 'real')) {
        const old = from !== undefined ? s.expect[from]?.maxMs : undefined;
        bounds.maxMs = Math.max(bounds.maxMs, old ?? 0);
        bounds.minMs = Math.floor((0.5 * Math.min(...times)) / 50) * 50;
        if (bounds.minMs < 250) bounds.minMs = 0;
      }
      const e: SuggestedEntry = { when, result: resultOf(o), ...bounds, wire: wireOfRuns(lookup, group.flatMap((m) => m.runs.map((r) => r.cell))), cells: group.length };
      if (path) e.path = path;
      if (o.ok && (o.addrs ?? []).length > MANY) e.addrCount = (o.addrs ?? []).length;
      else if (o.ok) e.addrs = [...(o.addrs ?? [])].sort();
      else {
        e.error = errorWords(o.error ?? '');
        e.flags = { temporary: o.isTemporary, timeout: o.isTimeout, notFound: o.isNotFound };
      }
      if (why) e.why = why;
      // Two lookups written alike (the same name asked twice) give the same entry twice: once is enough.
      const same = (x: SuggestedEntry) => JSON.stringify({ ...x, cells: 0 }) === JSON.stringify({ ...e, cells: 0 });
      if (!out.some(same)) out.push(e);
    }
  });
  return out;
}

/** The scenario's YAML text with its `expect` replaced, everything else (comments included) kept. */
export function withExpectations(text: string, entries: SuggestedEntry[]): string {
  const doc: Document = parseDocument(text);
  const list = entries.map(({ cells: _, lookup: __, ...e }) => {
    const out: Record<string, unknown> = { when: e.when.length === 1 ? e.when[0] : e.when };
    for (const k of ['path', 'result', 'addrs', 'addrCount', 'error', 'flags', 'minMs', 'maxMs', 'wire', 'why'] as const) if (e[k] !== undefined) out[k] = e[k];
    return out;
  });
  const node = doc.createNode(list);
  // Flow style where a mapping or list fits a line: when items, addresses, wire entries, flags.
  if (isSeq(node)) {
    for (const item of node.items) {
      if (!isMap(item)) continue;
      for (const pair of item.items) {
        const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
        const v = pair.value;
        if (key === 'why') continue;
        if (isMap(v)) v.flow = true;
        if (isSeq(v)) {
          v.flow = key !== 'wire' && key !== 'when';
          for (const x of v.items) if (isMap(x)) x.flow = true;
        }
      }
    }
  }
  doc.set('expect', node);
  return doc.toString({ lineWidth: 100, flowCollectionPadding: false });
}
