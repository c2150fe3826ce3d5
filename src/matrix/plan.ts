import { HarnessError } from '../errors.js';
import type { NetdnsMode } from '../go/godebug.js';
import type { Toolchain } from '../go/toolchains.js';
import type { CellAxes } from '../results/model.js';
import type { Scenario } from '../scenario/schema.js';
import type { MuslInstall } from '../libc/musl.js';
import { DEFAULT_STUB_MODES, STUB_MODES, stubModesFor, type StubMode } from '../resolved/spec.js';

export interface AxisOptions {
  cgo: Array<'0' | '1'>;
  netdns: NetdnsMode[];
  /** Each value one point of the GODEBUG axis: "none", or comma-separated settings. */
  godebug: string[];
  /** Each value one point of the build-tags axis: "none", "netgo", "netcgo", ... */
  tags: string[];
  goModGo: string[];
  /** For scenarios with a `resolved` server: what stands on 127.0.0.53 (others have no stub axis); default real and emulated. */
  stub?: StubMode[];
  /** For CGO_ENABLED=1 cells: the system's glibc and/or musl builds (default: glibc only). */
  libc?: Array<'glibc' | MuslInstall>;
}

export const DEFAULT_AXES: AxisOptions = { cgo: ['0', '1'], netdns: ['default', 'go', 'cgo'], godebug: ['none'], tags: ['none'], goModGo: ['1.19'], stub: DEFAULT_STUB_MODES };

export interface Cell {
  id: string;
  axes: CellAxes;
  scenario: Scenario;
  toolchain: Toolchain;
  /** How long the cell is expected to wait (timeouts), for balancing sandboxes. */
  expectedMs: number;
  /** The musl its probe is built against (axes.libc names it). */
  musl?: MuslInstall;
}

export interface Shard {
  index: number;
  count: number;
}

export class PlanError extends HarnessError {
  constructor(message: string) {
    super('GDH_CONFIG', message);
  }
}

const list = (v: string): string[] => (v === 'none' || v === '' ? [] : v.split(',').map((s) => s.trim()).filter(Boolean));

/** The cell's id, which is also what `repro` takes: every axis, in a fixed order. */
export function cellId(a: CellAxes): string {
  const parts = [a.scenario, a.go, `cgo=${a.cgo}`, `netdns=${a.netdns}`];
  if (a.libc) parts.push(`libc=${a.libc}`);
  if (a.stub) parts.push(`stub=${a.stub}`);
  if (a.godebug.length) parts.push(`godebug=${a.godebug.join(',')}`);
  if (a.tags.length) parts.push(`tags=${a.tags.join(',')}`);
  if (a.goModGo !== DEFAULT_AXES.goModGo[0]) parts.push(`gomod=${a.goModGo}`);
  return parts.join(':');
}

/** Parses a cell id back into axes (scenario name, go version and the rest). */
export function parseCellId(id: string): Omit<CellAxes, 'goMinor'> & { goMinor: number } {
  const [scenario, go, ...rest] = id.split(':');
  const m = /^go1\.(\d+)/.exec(go ?? '');
  if (!scenario || !m) throw new PlanError(`"${id}" is not a cell id; ids look like stub-refused:go1.27.4:cgo=1:netdns=go`);
  const kv = new Map(rest.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const cgo = kv.get('cgo');
  const netdns = kv.get('netdns');
  if ((cgo !== '0' && cgo !== '1') || !['default', 'go', 'cgo'].includes(netdns ?? '')) throw new PlanError(`"${id}": cgo=0|1 and netdns=default|go|cgo are required`);
  const libc = kv.get('libc');
  if (libc !== undefined && !/^musl-\d+\.\d+\.\d+$/.test(libc)) throw new PlanError(`"${id}": libc=${libc} is not a musl version like musl-1.2.3 (glibc cells carry no libc part)`);
  if (libc !== undefined && cgo !== '1') throw new PlanError(`"${id}": libc=${libc} needs cgo=1`);
  const stub = kv.get('stub');
  if (stub !== undefined && !(STUB_MODES as readonly string[]).includes(stub)) throw new PlanError(`"${id}": stub=${stub} is not one of ${STUB_MODES.join(', ')}`);
  return {
    ...(stub ? { stub: stub as StubMode } : {}),
    ...(libc ? { libc } : {}),
    scenario,
    go: go as string,
    goMinor: Number(m[1]),
    cgo,
    netdns: netdns as NetdnsMode,
    godebug: list(kv.get('godebug') ?? ''),
    tags: list(kv.get('tags') ?? ''),
    goModGo: kv.get('gomod') ?? (DEFAULT_AXES.goModGo[0] as string),
  };
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
 * Expands scenarios x toolchains x cgo x netdns (x GODEBUG x tags x go line) into cells, sorted
 * by id. A shard takes every count-th cell from its index on, so shards are disjoint, cover the
 * plan, and do not depend on anything but the plan.
 */
export function planCells(scenarios: Scenario[], toolchains: Toolchain[], axes: AxisOptions = DEFAULT_AXES, shard?: Shard, measured?: Map<string, number>): Cell[] {
  if (shard && !(shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count)) {
    throw new PlanError(`--shard ${shard.index}/${shard.count}: want i/n with 1 <= i <= n`);
  }
  const cells: Cell[] = [];
  const union = (a: string[], b: string[] | undefined) => [...new Set([...a, ...(b ?? [])])];
  for (const scenario of scenarios) {
    const estimate = estimateMs(scenario);
    const muslEstimate = estimateMuslMs(scenario);
    // A scenario may widen the GODEBUG, tags and go-line axes for itself.
    const own = { godebug: union(axes.godebug, scenario.axes.godebug), tags: union(axes.tags, scenario.axes.tags), goModGo: union(axes.goModGo, scenario.axes.goModGo) };
    for (const toolchain of toolchains) {
      for (const cgo of axes.cgo) {
        for (const netdns of axes.netdns) {
          for (const godebug of own.godebug) {
            for (const tags of own.tags) {
              for (const goModGo of own.goModGo) {
                for (const stub of stubModesFor(scenario.resolved, axes.stub ?? DEFAULT_STUB_MODES)) {
                  // The libc axis only means something where cgo is in the binary.
                  for (const libc of cgo === '1' ? (axes.libc ?? ['glibc']) : ['glibc' as const]) {
                    const musl = libc === 'glibc' ? undefined : libc;
                    const a: CellAxes = { scenario: scenario.name, go: toolchain.version, goMinor: toolchain.minor, cgo, netdns, godebug: list(godebug), tags: list(tags), goModGo, ...(musl ? { libc: musl.name } : {}), ...(stub ? { stub } : {}) };
                    const id = cellId(a);
                    cells.push({ id, axes: a, scenario, toolchain, expectedMs: measured?.get(id) ?? (musl ? muslEstimate : estimate), ...(musl ? { musl } : {}) });
                  }
                }
              }
            }
          }
        }
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
  // One sandbox serves one scenario with one thing on 127.0.0.53.
  const key = (c: Cell) => `${c.axes.scenario}|${c.axes.stub ?? ''}`;
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
