import { godebugFor } from '../go/godebug.js';
import { HarnessError, type HarnessErrorOptions } from '../errors.js';
import type { Toolchain } from '../go/toolchains.js';
import type { CellAxes } from '../results/model.js';
import type { Scenario } from '../scenario/schema.js';
import type { MuslInstall } from '../provision/musl.js';
import type { Program } from '../go/program.js';
import { allAxes, DEFAULT_GO_MOD, applyPoints, cellPoints, defaultPoints, idParts, pointsFromId, whenSelects } from './axes.js';

/**
 * The points asked for, per axis (by its key in the axes table); an axis left out takes its
 * defaults. The libc axis may carry musl installs themselves (what the cells are built against),
 * the program axis the user's programs (what runs in place of the probe); their names are the points.
 */
export type AxisOptions = { readonly [key: string]: ReadonlyArray<string | MuslInstall | Program> | undefined };

export const DEFAULT_AXES: AxisOptions = defaultPoints();

export interface Cell {
  id: string;
  axes: CellAxes;
  scenario: Scenario;
  toolchain: Toolchain;
  /** How long the cell is expected to wait (timeouts), for balancing sandboxes. */
  expectedMs: number;
  /** The musl its probe is built against (axes.libc names it). */
  musl?: MuslInstall;
  /** The user's program that runs in place of the probe (axes.program names it). */
  program?: Program;
}

export interface Shard {
  index: number;
  count: number;
}

export class PlanError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_PLAN', message, options);
  }
}

/** The cell's id, which is also what `repro` takes: the scenario, the Go version, then every axis in the table's order. */
export function cellId(a: CellAxes): string {
  return [a.scenario, a.go, ...idParts(a)].join(':');
}

/** Parses a cell id back into axes (scenario name, go version and the rest). */
export function parseCellId(id: string): CellAxes {
  const [scenario, go, ...rest] = id.split(':');
  const m = /^go1\.(\d+)/.exec(go ?? '');
  if (!scenario || !m) throw new PlanError(`"${id}" is not a cell id; ids look like stub-refused:go1.27.4:cgo=1:netdns=go`);
  let points: Record<string, string>;
  try {
    points = pointsFromId(rest);
  } catch (err) {
    throw new PlanError(`"${id}": ${(err as Error).message}`, { cause: err });
  }
  return applyPoints({ scenario, go: go as string, goMinor: Number(m[1]), cgo: '0', netdns: 'default', godebug: [], tags: [], goModGo: DEFAULT_GO_MOD }, points);
}

/** A numeric resolv.conf option (timeout:N, attempts:N), or its default. */
function resolvOption(resolvConf: string, name: string, dflt: number): number {
  return Number(new RegExp(`^options\\b.*\\b${name}:(\\d+)`, 'm').exec(resolvConf)?.[1] ?? dflt);
}

/** resolv.conf's timeout x attempts x nameservers, the longest a lookup waits on a silent server. */
export function worstWaitMs(resolvConf: string | null | undefined): number {
  const text = resolvConf ?? '';
  const opt = (name: string, dflt: number) => resolvOption(text, name, dflt);
  const servers = Math.max(1, (text.match(/^nameserver\s/gm) ?? []).length);
  return Math.min(opt('timeout', 5), 30) * Math.min(opt('attempts', 2), 5) * Math.min(servers, 3) * 1000;
}

/** A guess of a cell's wait: long if a server drops or delays, short otherwise. */
export function estimateMs(s: Scenario): number {
  const worst = worstWaitMs(s.files['resolv.conf']);
  let perLookup = 30;
  for (const server of s.servers) {
    for (const r of server.rules) {
      if (r.action === 'drop') perLookup = Math.max(perLookup, worst);
      if (r.action === 'delay') perLookup = Math.max(perLookup, Math.min(r.ms ?? 0, worst));
    }
  }
  return perLookup * Math.max(1, s.lookups.length);
}

/**
 * The least time the scenario says a cell takes: per lookup, the `minMs` of the first entry that
 * speaks for it. A cell that waits on a server's silence or on a retry loop in a real resolved
 * (10 to 20 s behind systemd-resolved 247 where its rules promise an answer at once) is planned as
 * long as its expectation states, not as the guess from the fake server's rules.
 */
export function statedFloorMs(s: Scenario, a: CellAxes): number {
  let total = 0;
  for (const lookup of s.lookups) {
    const entry = s.expect.find((e) => e.when.some((w) => whenSelects(w, a, lookup)));
    total += entry?.minMs ?? 0;
  }
  return total;
}

/**
 * The same for a cell built against musl: musl ignores REFUSED, ICMP errors and bad replies and
 * waits out resolv.conf's timeout (a bound on the whole lookup), so any scenario that is not
 * plainly healthy may cost it that timeout per lookup (measured: 5 s for stub-refused).
 */
export function estimateMuslMs(s: Scenario): number {
  const healthy = !s.resolved && s.servers.length > 0 && s.servers.every((x) => x.rules.length === 0);
  if (healthy) return estimateMs(s);
  const timeout = Math.min(resolvOption(s.files['resolv.conf'] ?? '', 'timeout', 5), 30) * 1000;
  return Math.max(estimateMs(s), timeout * Math.max(1, s.lookups.length));
}

/**
 * Expands scenarios x toolchains x every axis of the axes table (src/plan/axes.ts) into cells,
 * sorted by id. A shard takes every count-th cell from its index on, so shards are disjoint, cover the
 * plan, and do not depend on anything but the plan.
 */
export function planCells(scenarios: Scenario[], toolchains: Toolchain[], axes: AxisOptions = DEFAULT_AXES, shard?: Shard, measured?: Map<string, number>): Cell[] {
  if (shard && !(shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count)) {
    throw new PlanError(`--shard ${shard.index}/${shard.count}: want i/n with 1 <= i <= n`);
  }
  const cells: Cell[] = [];
  // Points as names; the musl installs and programs they stand for, by axis and name.
  const objects = new Map<string, Map<string, MuslInstall | Program>>();
  const asked: Record<string, string[]> = {};
  for (const x of allAxes()) {
    const given = axes[x.key];
    asked[x.key] = given === undefined ? [...x.defaults] : given.map((v) => {
      if (typeof v === 'string') return v;
      objects.set(x.key, (objects.get(x.key) ?? new Map()).set(v.name, v));
      return v.name;
    });
  }
  for (const scenario of scenarios) {
    // Its cells would run the probe on nothing; such a scenario is for exec (your own command).
    if (scenario.lookups.length === 0) throw new PlanError(`${scenario.source}: lookups: [] is not valid for run; name what the probe looks up (e.g. host app.example.test), or use this scenario with exec`);
    const estimate = estimateMs(scenario);
    const muslEstimate = estimateMuslMs(scenario);
    for (const points of cellPoints(scenario, asked)) {
      for (const toolchain of toolchains) {
        const a = applyPoints({ scenario: scenario.name, go: toolchain.version, goMinor: toolchain.minor, cgo: '0', netdns: 'default', godebug: [], tags: [], goModGo: DEFAULT_GO_MOD }, points);
        const musl = a.libc ? (objects.get('libc')?.get(a.libc) as MuslInstall | undefined) : undefined;
        if (a.libc && !musl) throw new PlanError(`libc ${a.libc}: no such musl install was given to the planner`);
        const program = a.program ? (objects.get('program')?.get(a.program) as Program | undefined) : undefined;
        if (a.program && !program) throw new PlanError(`program ${a.program}: no such program was given to the planner`);
        const id = cellId(a);
        cells.push({ id, axes: a, scenario, toolchain, expectedMs: measured?.get(id) ?? Math.max(musl ? muslEstimate : estimate, statedFloorMs(scenario, a)), ...(musl ? { musl } : {}), ...(program ? { program } : {}) });
      }
    }
  }
  cells.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const ids = new Set(cells.map((c) => c.id));
  if (ids.size !== cells.length) throw new PlanError('two cells with the same id: a scenario or toolchain is listed twice');
  return shard ? cells.filter((_, i) => i % shard.count === shard.index - 1) : cells;
}

/**
 * Groups cells into sandbox batches: cells of one scenario share a sandbox (one at a time inside),
 * but a scenario whose cells wait longer than a fair share of the run is split into several
 * sandboxes, filled longest-first, so it is not the critical path.
 */
export function batchCells(cells: Cell[], jobs: number, perSandboxMs = 1500): Cell[][] {
  const byScenario = new Map<string, Cell[]>();
  // One sandbox serves one scenario with one thing on 127.0.0.53 (a platform's resolved is its own).
  const key = (c: Cell) => `${c.axes.scenario}|${c.axes.stub ?? ''}|${c.axes.platform ?? ''}`;
  for (const c of cells) byScenario.set(key(c), [...(byScenario.get(key(c)) ?? []), c]);
  const total = cells.reduce((s, c) => s + c.expectedMs, 0);
  const fairShare = Math.max(total / Math.max(1, jobs), perSandboxMs * 4);
  const batches: Cell[][] = [];
  for (const group of byScenario.values()) {
    const work = group.reduce((s, c) => s + c.expectedMs, 0);
    const k = Math.max(1, Math.min(group.length, Math.ceil(work / fairShare)));
    const bins = Array.from({ length: k }, () => ({ load: 0, cells: [] as Cell[] }));
    for (const c of [...group].sort((a, b) => b.expectedMs - a.expectedMs)) {
      const bin = bins.reduce((m, b) => (b.load < m.load ? b : m));
      bin.cells.push(c);
      bin.load += c.expectedMs;
    }
    for (const b of bins) batches.push(b.cells.sort((x, y) => (x.id < y.id ? -1 : 1)));
  }
  // Longest batches start first, so short ones fill the gaps at the end.
  const load = (b: Cell[]) => b.reduce((s, c) => s + c.expectedMs, 0) + perSandboxMs;
  return batches.sort((a, b) => load(b) - load(a));
}

/** The GODEBUG a cell's probe runs with: its netdns mode (with the trace level) and settings, then the scenario's own. */
export function cellGodebug(c: Cell): string {
  return [godebugFor(c.axes.netdns, c.axes.godebug), c.scenario.env.GODEBUG].filter(Boolean).join(',');
}
