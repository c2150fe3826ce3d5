import { execa } from 'execa';
import { HarnessError, UsageError } from '../errors.js';
import { discoverToolchains, resolveGiven, type Toolchain } from '../go/toolchains.js';
import { fetchToolchains } from '../provision/toolchains.js';
import { loadScenarios, selectScenarios } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { allAxes, pointsFromFlags } from './axes.js';
import { planCells, type AxisOptions, type Cell, type Shard } from './cells.js';
import { libcAxis } from './libc-axis.js';
import { fetchedPlatforms, HOST_PLATFORM } from '../provision/platform.js';

/** --platform values as points: `all` is the host and every platform fetched into the cache. */
export function platformPoints(values: string[]): string[] {
  const out = values.flatMap((v) => (v === 'all' ? [HOST_PLATFORM, ...fetchedPlatforms().map((p) => p.name)] : [v]));
  return [...new Set(out)];
}

/** What a plan is asked for, in the words a user gives (the CLI's flags, or a library caller's). */
export interface PlanRequest {
  /** Scenario names or globs (empty: all). */
  scenarios: string[];
  /** Go versions or GOROOTs (empty: every toolchain found). */
  go: string[];
  /** Per axis flag (cgo, netdns, libc, ...), the values asked for (empty: the axis's defaults). */
  flags: Record<string, string[]>;
  /** A slice of the plan, "i/n". */
  shard?: string;
  scenariosDir?: string;
  /** Whether a toolchain may be fetched when none is found. */
  fetch: boolean;
}

export interface Plan {
  cells: Cell[];
  toolchains: Toolchain[];
  scenarios: Scenario[];
}

export function parseShard(v: string | undefined): Shard | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m) throw new UsageError(`--shard: "${v}" is not i/n (e.g. 2/4)`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** The axis points the flags ask for; which musl installs a libc word names is the cache's business. */
export function axesFrom(flags: Record<string, string[] | undefined>): AxisOptions {
  const points = pointsFromFlags(Object.fromEntries(allAxes().map((x) => [x.flag, flags[x.flag] ?? []])));
  return { ...points, libc: libcAxis(points.libc ?? []), platform: platformPoints(points.platform ?? []) };
}

/** The distribution's default Go (golang-go's dependency), to fetch when no toolchain is found. */
async function distroDefaultGo(): Promise<string> {
  const r = await execa('apt-cache', ['depends', 'golang-go'], { reject: false });
  const minor = /golang-1\.(\d+)-go/.exec(r.stdout)?.[1];
  return minor ? `1.${minor}` : 'newest';
}

/** The toolchains asked for, or every one found; with none here, the distribution's default is fetched (when allowed). */
export async function chooseToolchains(go: string[], fetch: boolean, say: (s: string) => void): Promise<Toolchain[]> {
  let found = await discoverToolchains();
  if (go.length > 0) {
    const out: Toolchain[] = [];
    for (const g of go) out.push(await resolveGiven(g, found));
    return out;
  }
  if (found.length === 0) {
    if (!fetch) throw new HarnessError('GDH_ENV', 'no Go toolchain found (PATH, /usr/lib/go-*, /usr/local/go, ~/sdk, the harness cache); fetch one with: go-dns-harness toolchains fetch 1.19 newest');
    const v = await distroDefaultGo();
    say(`no Go toolchain found; fetching the distribution's default (${v}). Add versions with: go-dns-harness toolchains fetch 1.19 1.21 ... newest`);
    await fetchToolchains([v], { log: say });
    found = await discoverToolchains();
  }
  return found;
}

/** The plan a request makes: its scenarios, toolchains and cells (measured durations balance the sandboxes). */
export async function planFor(req: PlanRequest, say: (s: string) => void, measured?: Map<string, number>): Promise<Plan> {
  const scenarios = selectScenarios(loadScenarios(req.scenariosDir), req.scenarios);
  const axes = axesFrom(req.flags);
  const shard = parseShard(req.shard);
  const toolchains = await chooseToolchains(req.go, req.fetch, say);
  return { cells: planCells(scenarios, toolchains, axes, shard, measured), toolchains, scenarios };
}
