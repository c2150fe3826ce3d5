import { execa } from 'execa';
import { HarnessError, UsageError } from '../errors.js';
import { binaryToolchain, discoverToolchains, goEnv, resolveGiven, type Toolchain } from '../go/toolchains.js';
import { fetchToolchains } from '../provision/toolchains.js';
import { loadScenarios, selectScenarios } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { allAxes, pointsFromFlags } from './axes.js';
import { planCells, type AxisOptions, type Cell, type Shard } from './cells.js';
import { libcAxis } from './libc-axis.js';
import { fetchedPlatforms, HOST_PLATFORM } from '../provision/platform.js';
import { binaryBuildInfo, resolveProgram, type Program } from '../go/program.js';

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

/** --program values as the programs they name ('' is the probe); two with one name could not be told apart in a cell id. */
export function programPoints(values: string[]): Array<'' | Program> {
  const out = values.map((v) => (v === '' ? ('' as const) : resolveProgram(v)));
  const byName = new Map<string, string>();
  for (const p of out) {
    if (p === '') continue;
    const other = byName.get(p.name);
    if (other !== undefined && other !== p.given) throw new UsageError(`--program: ${other} and ${p.given} are both named "${p.name}"; a cell id names a program by its name, so give one of them`);
    byName.set(p.name, p.given);
  }
  return out;
}

/** The axis points the flags ask for; which musl installs a libc word names is the cache's business, which program a path names the file system's. */
export function axesFrom(flags: Record<string, string[] | undefined>): AxisOptions {
  const points = pointsFromFlags(Object.fromEntries(allAxes().map((x) => [x.flag, flags[x.flag] ?? []])));
  return { ...points, libc: libcAxis(points.libc ?? []), platform: platformPoints(points.platform ?? []), program: programPoints(points.program ?? []) };
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
  let axes = axesFrom(req.flags);
  const shard = parseShard(req.shard);
  const programs = (axes.program ?? []).filter((p): p is Program => typeof p !== 'string');
  if (programs.length > 1) throw new UsageError(`--program: one program per run (${programs.map((p) => p.given).join(', ')}); run again for the next`);
  const binary = programs[0]?.kind === 'binary' ? programs[0] : undefined;
  if (!binary) {
    const toolchains = await chooseToolchains(req.go, req.fetch, say);
    return { cells: planCells(scenarios, toolchains, axes, shard, measured), toolchains, scenarios };
  }
  // A built binary brings its own Go, CGO_ENABLED and tags: they are facts about it, not axes to choose.
  const chosen = ['cgo', 'tags', 'gomod'].filter((f) => (req.flags[f] ?? []).length > 0).map((f) => `--${f}`);
  if (req.go.length) chosen.unshift('--go');
  if ((req.flags.libc ?? []).some((l) => l !== 'glibc')) chosen.push('--libc');
  if (chosen.length) throw new UsageError(`--program ${binary.given} is a built binary: its Go version, CGO_ENABLED, tags and C library are its own, so ${chosen.join(', ')} cannot apply; drop ${chosen.length > 1 ? 'them' : 'it'}, or give the package's directory to build it per setting`);
  const reader = (await chooseToolchains([], req.fetch, say)).at(-1) as Toolchain;
  const info = await binaryBuildInfo(binary, reader.go, goEnv(reader));
  const found = (await discoverToolchains()).find((t) => t.version === info.go);
  const toolchain = found ?? binaryToolchain(reader, info.go, info.minor);
  say(`${binary.given}: a built binary (${info.go}, CGO_ENABLED=${info.cgo}${info.tags ? `, -tags ${info.tags}` : ''}); the build axes do not apply to it`);
  axes = { ...axes, cgo: [info.cgo], tags: [info.tags || 'none'] };
  return { cells: planCells(scenarios, [toolchain], axes, shard, measured), toolchains: [toolchain], scenarios };
}
