import { execa } from 'execa';
import { HarnessError, UsageError } from '../errors.js';
import { fetchToolchains } from '../go/fetch.js';
import { discoverToolchains, resolveGiven, type Toolchain } from '../go/toolchains.js';
import type { Scenario } from '../scenario/schema.js';
import { planCells, type AxisOptions, type Cell, type Shard } from '../matrix/plan.js';
import { AXES, allAxes, pointsFromFlags } from '../matrix/axes.js';
import { loadScenarios, selectScenarios } from '../scenario/load.js';
import { libcAxis } from '../libc/axis.js';

type ListOption = { type: 'string'; multiple: true; default: string[]; value: string; help: string };

/** The options `run` and `list` share: one flag per axis, from the axes table, values and help included. */
export const MATRIX_OPTIONS = {
  scenario: { type: 'string', multiple: true, default: [], value: 'NAME|GLOB', help: 'the scenarios to take (default all)' },
  go: { type: 'string', multiple: true, default: [], value: 'VERSION|GOROOT', help: 'the Go toolchains to take (default every one found)' },
  ...(Object.fromEntries(AXES.map((x) => [x.flag, { type: 'string', multiple: true, default: [], value: x.help.split(':')[0] ?? 'VALUES', help: x.help.slice(x.help.indexOf(':') + 1).trim() }])) as Record<string, ListOption>),
  shard: { type: 'string', value: 'i/n', help: 'take a deterministic slice of the plan (merge the slices with merge)' },
  'scenarios-dir': { type: 'string', value: 'DIR', help: 'read the scenarios from DIR instead of the shipped scenarios/' },
  'no-fetch': { type: 'boolean', help: 'fetch nothing: use the toolchains, musl and systemd-resolved already here (cells needing a missing one are skipped)' },
} as const;

export interface MatrixArgs {
  scenario: string[];
  go: string[];
  /** One list per axis flag (cgo, netdns, libc, stub, godebug, tags, gomod, ...). */
  [flag: string]: string[] | string | boolean | undefined;
  shard?: string;
  'scenarios-dir'?: string;
  'no-fetch': boolean;
}

export function parseShard(v: string | undefined): Shard | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m) throw new UsageError(`--shard: "${v}" is not i/n (e.g. 2/4)`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

export function axesFrom(a: MatrixArgs): AxisOptions {
  const flags = Object.fromEntries(allAxes().map((x) => [x.flag, (a[x.flag] as string[] | undefined) ?? []]));
  const points = pointsFromFlags(flags);
  // Which musl installs a libc word names is the cache's business.
  return { ...points, libc: libcAxis(points.libc ?? []) };
}

/** The distribution's default Go (golang-go's dependency), to fetch when no toolchain is found. */
async function distroDefaultGo(): Promise<string> {
  const r = await execa('apt-cache', ['depends', 'golang-go'], { reject: false });
  return /golang-1\.(\d+)-go/.exec(r.stdout)?.[1] ? `1.${/golang-1\.(\d+)-go/.exec(r.stdout)?.[1]}` : 'newest';
}

export async function chooseToolchains(a: MatrixArgs, say: (s: string) => void): Promise<Toolchain[]> {
  let found = await discoverToolchains();
  if (a.go.length > 0) {
    const out: Toolchain[] = [];
    for (const g of a.go) out.push(await resolveGiven(g, found));
    return out;
  }
  if (found.length === 0) {
    if (a['no-fetch']) throw new HarnessError('GDH_ENV', 'no Go toolchain found (PATH, /usr/lib/go-*, /usr/local/go, ~/sdk, the harness cache); fetch one with: go-dns-harness toolchains fetch 1.19 newest');
    const v = await distroDefaultGo();
    say(`no Go toolchain found; fetching the distribution's default (${v}). Add versions with: go-dns-harness toolchains fetch 1.19 1.21 ... newest`);
    await fetchToolchains([v], { log: say });
    found = await discoverToolchains();
  }
  return found;
}

export async function planFrom(a: MatrixArgs, say: (s: string) => void, measured?: Map<string, number>): Promise<{ cells: Cell[]; toolchains: Toolchain[]; scenarios: Scenario[] }> {
  const scenarios = selectScenarios(loadScenarios(a['scenarios-dir']), a.scenario);
  const axes = axesFrom(a);
  const shard = parseShard(a.shard);
  const toolchains = await chooseToolchains(a, say);
  return { cells: planCells(scenarios, toolchains, axes, shard, measured), toolchains, scenarios };
}
