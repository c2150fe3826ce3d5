import type { ParseArgsConfig } from 'node:util';
import { execa } from 'execa';
import { HarnessError, UsageError } from '../errors.js';
import { fetchToolchains } from '../go/fetch.js';
import type { NetdnsMode } from '../go/godebug.js';
import { discoverToolchains, resolveGiven, type Toolchain } from '../go/toolchains.js';
import type { Scenario } from '../scenario/schema.js';
import { DEFAULT_AXES, planCells, type AxisOptions, type Cell, type Shard } from '../matrix/plan.js';
import { loadScenarios, selectScenarios } from '../scenario/load.js';
import { STUB_MODES, type StubMode } from '../resolved/spec.js';
import { libcAxis } from '../libc/axis.js';

/** The options `run` and `list` share, declared once for parseArgs. */
export const MATRIX_OPTIONS = {
  scenario: { type: 'string', multiple: true, default: [] },
  go: { type: 'string', multiple: true, default: [] },
  cgo: { type: 'string', multiple: true, default: [] },
  netdns: { type: 'string', multiple: true, default: [] },
  godebug: { type: 'string', multiple: true, default: [] },
  tags: { type: 'string', multiple: true, default: [] },
  gomod: { type: 'string', multiple: true, default: [] },
  stub: { type: 'string', multiple: true, default: [] },
  libc: { type: 'string', multiple: true, default: [] },
  shard: { type: 'string' },
  'scenarios-dir': { type: 'string' },
  'no-fetch': { type: 'boolean', default: false },
} satisfies NonNullable<ParseArgsConfig['options']>;

export interface MatrixArgs {
  scenario: string[];
  go: string[];
  cgo: string[];
  netdns: string[];
  godebug: string[];
  tags: string[];
  gomod: string[];
  stub: string[];
  libc: string[];
  shard?: string;
  'scenarios-dir'?: string;
  'no-fetch': boolean;
}

const split = (vals: string[]) => vals.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

export function parseShard(v: string | undefined): Shard | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m) throw new UsageError(`--shard: "${v}" is not i/n (e.g. 2/4)`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

export function axesFrom(a: MatrixArgs): AxisOptions {
  const cgo = split(a.cgo);
  for (const c of cgo) if (c !== '0' && c !== '1') throw new UsageError(`--cgo: "${c}" is not 0 or 1`);
  const netdns = split(a.netdns);
  for (const n of netdns) if (!['default', 'go', 'cgo'].includes(n)) throw new UsageError(`--netdns: "${n}" is not default, go or cgo`);
  for (const g of split(a.gomod)) if (!/^1\.\d+$/.test(g)) throw new UsageError(`--gomod: "${g}" is not a go line like 1.18`);
  const stub = split(a.stub);
  for (const m of stub) if (!(STUB_MODES as readonly string[]).includes(m)) throw new UsageError(`--stub: "${m}" is not one of ${STUB_MODES.join(', ')}`);
  return {
    cgo: cgo.length ? (cgo as Array<'0' | '1'>) : DEFAULT_AXES.cgo,
    netdns: netdns.length ? (netdns as NetdnsMode[]) : DEFAULT_AXES.netdns,
    // A --godebug value is one axis point (it may hold several settings, comma-separated).
    godebug: a.godebug.length ? a.godebug : DEFAULT_AXES.godebug,
    tags: a.tags.length ? a.tags : DEFAULT_AXES.tags,
    goModGo: split(a.gomod).length ? split(a.gomod) : DEFAULT_AXES.goModGo,
    stub: stub.length ? (stub as StubMode[]) : DEFAULT_AXES.stub,
    libc: libcAxis(split(a.libc)),
  };
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
