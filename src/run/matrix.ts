import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { release, arch } from 'node:os';
import { execa } from 'execa';
import { buildProbes, isSkip, type ProbeBinary, type ProbeSkip, type ProbeSpec } from '../go/probe-build.js';
import { packageRoot } from '../paths.js';
import { scenarioSetHash } from '../scenario/hash.js';
import type { Scenario } from '../scenario/schema.js';
import { SCHEMA_VERSION, summarize, type CellResult, type PlatformMeta, type RunMeta, type RunResult } from '../results/model.js';
import { Sandbox, baseEnv } from '../sandbox/sandbox.js';
import { sandboxMethod } from '../sandbox/capability.js';
import { batchCells, cellGodebug, type Cell, type Shard } from '../plan/cells.js';
import { assembleCell, assembleProgramCell, cellBase } from '../results/assemble.js';
import { buildPrograms, isProgramSkip, type ProgramBinary, type ProgramSkip, type ProgramSpec } from '../go/program-build.js';
import type { ProgramPackage } from '../go/program.js';
import type { ProgramExpectations } from '../scenario/program-expect.js';
import { resolvedForRun, type ResolvedInstall } from '../provision/resolved.js';
import { platformResolvedInstall, platformSpec, platformsForRun, type PlatformInstall } from '../provision/platform.js';
import { sandboxFor } from './sandbox-for.js';
import { platformDefaults } from '../provision/platform-defaults.js';
import { usesPlatformDefaults } from '../scenario/platform-default.js';

export interface RunOptions {
  /** Sandboxes at once. Cells mostly wait on timeouts, so this can exceed the core count. */
  jobs: number;
  onCell?: (c: CellResult, done: number, total: number) => void;
  argv?: string[];
  shard?: Shard;
  /** Write a pcap per cell into this directory (named by the cell id). */
  pcapDir?: string;
  /** Fetch systemd-resolved for real-stub cells when it is not cached (default true). */
  fetch?: boolean;
  /** The systemd-resolved to use (or why there is none), instead of finding one. */
  resolved?: ResolvedInstall | { unavailable: string };
  /** The platforms the cells name (or why each cannot be had), instead of reading the cache. */
  platforms?: Map<string, PlatformInstall | { unavailable: string }>;
  log?: (s: string) => void;
  /** The scenarios of the whole plan (all shards): the run names their set (default: those of `cells`). */
  scenarios?: Scenario[];
  /** Program cells (`run --program`): the program's arguments, and its dns-expect.yaml when it has one. */
  program?: { args: string[]; expectations?: ProgramExpectations };
}

/** A program cell's output kept per stream: enough for any message, bounded for a program that floods. */
const PROGRAM_OUTPUT_CAP = 1024 * 1024;

/** Program builds differ by everything the probe's do except the go.mod line (the program has its own). */
function programSpecKey(c: Cell): string {
  return [c.program?.given ?? '', c.toolchain.goroot, c.axes.cgo, c.axes.tags.join(','), c.musl?.root ?? '', c.axes.cgo === '1' ? (c.axes.platform ?? '') : ''].join('|');
}

export const programSpecOf = (c: Cell, program: ProgramPackage, platform?: PlatformInstall): ProgramSpec => ({
  program,
  toolchain: c.toolchain,
  cgo: c.axes.cgo,
  tags: c.axes.tags,
  ...(c.musl ? { musl: c.musl } : {}),
  ...(platform && c.axes.cgo === '1' ? { platform } : {}),
});

/** Runs a program cell in an open sandbox of its scenario: the program with its arguments, the cell's GODEBUG and the scenario's environment. */
export async function runProgramCell(sb: Sandbox, c: Cell, binary: string, opts: NonNullable<RunOptions['program']>, pcapFile?: string): Promise<CellResult> {
  const s = c.scenario;
  const env = { ...baseEnv(), ...s.env, GODEBUG: cellGodebug(c) };
  const started = performance.now();
  const r = await sb.run(binary, opts.args, { env, timeoutMs: s.timeoutMs * Math.max(1, s.lookups.length) + 15_000, maxOutputBytes: PROGRAM_OUTPUT_CAP, ...(pcapFile ? { pcap: pcapSource() } : {}) });
  const durationMs = performance.now() - started;
  const pcap = pcapFile && r.pcap ? savePcap(pcapFile, r.pcap) : undefined;
  return assembleProgramCell(c, r, { durationMs, programArgs: opts.args, ...(sb.resolved ? { resolvedVersion: sb.resolved.version } : {}), ...(pcap ? { pcap } : {}) }, opts.expectations);
}

function savePcap(file: string, p: { base64: string; method: string }): { file: string; method: string } {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(p.base64, 'base64'));
  return { file, method: p.method };
}

/** Only cgo builds differ by platform: CGO_ENABLED=0 cells of every platform share one probe. */
function specKey(c: Cell): string {
  return [c.toolchain.goroot, c.axes.cgo, c.axes.tags.join(','), c.axes.goModGo, c.musl?.root ?? '', c.axes.cgo === '1' ? (c.axes.platform ?? '') : ''].join('|');
}

/** Runs one cell in an open sandbox of its scenario. */
/** tcpdump when it runs in the sandbox, else from the fake servers' capture; GDH_PCAP_FROM=log forces the latter. */
const pcapSource = (): 'auto' | 'log' => (process.env.GDH_PCAP_FROM === 'log' ? 'log' : 'auto');

/** A cell id as a file name: the id with anything but letters, digits, dots, dashes and = replaced. */
export const pcapName = (id: string): string => `${id.replace(/[^A-Za-z0-9.=-]+/g, '_')}.pcap`;

export async function runCell(sb: Sandbox, c: Cell, probe: ProbeBinary, pcapFile?: string): Promise<CellResult> {
  const s = c.scenario;
  const args = ['-timeout', `${s.timeoutMs}ms`, ...s.lookups.flatMap((l) => l.split(' '))];
  const env = { ...baseEnv(), ...s.env, GODEBUG: cellGodebug(c) };
  const started = performance.now();
  const r = await sb.run(probe.path, args, { env, timeoutMs: s.timeoutMs * Math.max(1, s.lookups.length) + 15_000, ...(pcapFile ? { pcap: pcapSource() } : {}) });
  const durationMs = performance.now() - started;
  const pcap = pcapFile && r.pcap ? savePcap(pcapFile, r.pcap) : undefined;
  return assembleCell(c, r, { durationMs, ...(sb.resolved ? { resolvedVersion: sb.resolved.version } : {}), ...(pcap ? { pcap } : {}) });
}

let glibc: Promise<string> | undefined;
/** The system's glibc version, e.g. "2.36" (asked once). */
function glibcVersion(): Promise<string> {
  glibc ??= execa('getconf', ['GNU_LIBC_VERSION'], { reject: false }).then((r) => r.stdout.trim().replace(/^glibc\s+/, '') || 'unknown');
  return glibc;
}

function distro(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What a cell's probe is built from: its toolchain and build settings, and the musl it links. */
export const probeSpecOf = (c: Cell, platform?: PlatformInstall): ProbeSpec => ({
  toolchain: c.toolchain,
  cgo: c.axes.cgo,
  tags: c.axes.tags,
  goModGo: c.axes.goModGo,
  ...(c.musl ? { musl: c.musl } : {}),
  ...(platform && c.axes.cgo === '1' ? { platform } : {}),
});

function platformMeta(name: string, p: PlatformInstall | { unavailable: string }): PlatformMeta {
  const spec = platformSpec(name);
  if ('unavailable' in p) return { name, suite: spec.suite, standsFor: spec.standsFor, glibc: '', libcPackage: '', resolved: `unavailable: ${p.unavailable}` };
  return { name, suite: p.suite, standsFor: p.standsFor, glibc: p.glibc, libcPackage: p.libcPackage, resolved: 'unavailable' in p.resolved ? `unavailable: ${p.resolved.unavailable}` : p.resolved.version };
}

export function harnessVersion(): string {
  return (JSON.parse(readFileSync(`${packageRoot()}package.json`, 'utf8')) as { version: string }).version;
}

/**
 * Runs the planned cells: builds the probes they need (cached), then runs the cells in parallel
 * sandboxes, one at a time inside each, and returns the run's result document.
 */
export async function runMatrix(cells: Cell[], opts: RunOptions): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const { method } = await sandboxMethod();
  const platformNames = [...new Set(cells.flatMap((c) => (c.axes.platform ? [c.axes.platform] : [])))];
  const platforms = opts.platforms ?? (await platformsForRun(platformNames, opts.fetch ?? true, opts.log));
  const platformOf = (c: Cell): PlatformInstall | { unavailable: string } | undefined =>
    c.axes.platform ? (platforms.get(c.axes.platform) ?? { unavailable: `${c.axes.platform} was not provisioned for this run` }) : undefined;
  const usable = (c: Cell): PlatformInstall | undefined => {
    const p = platformOf(c);
    return p && !('unavailable' in p) ? p : undefined;
  };
  const specs = new Map<string, ProbeSpec>();
  const programSpecs = new Map<string, ProgramSpec>();
  for (const c of cells) {
    if (c.axes.platform && !usable(c)) continue;
    if (!c.program) specs.set(specKey(c), probeSpecOf(c, usable(c)));
    else if (c.program.kind === 'package') programSpecs.set(programSpecKey(c), programSpecOf(c, c.program, usable(c)));
  }
  const built = await buildProbes([...specs.values()], 2);
  const probes = new Map<string, ProbeBinary | ProbeSkip>([...specs.keys()].map((k, i) => [k, built[i] as ProbeBinary | ProbeSkip]));
  const programsBuilt = await buildPrograms([...programSpecs.values()]);
  const programs = new Map<string, ProgramBinary | ProgramSkip>([...programSpecs.keys()].map((k, i) => [k, programsBuilt[i] as ProgramBinary | ProgramSkip]));
  /** What runs in a cell: the probe, the program built for it, or the user's own binary. */
  const binaryOf = (c: Cell): { path: string } | { skipped: string } | undefined => {
    if (!c.program) {
      const p = probes.get(specKey(c));
      return p && (isSkip(p) ? { skipped: p.skipped } : { path: p.path });
    }
    if (c.program.kind === 'binary') return { path: c.program.path };
    const p = programs.get(programSpecKey(c));
    return p && (isProgramSkip(p) ? { skipped: p.skipped } : { path: p.path });
  };

  const results: CellResult[] = [];
  let done = 0;
  const finish = (r: CellResult): void => {
    results.push(r);
    done++;
    opts.onCell?.(r, done, cells.length);
  };
  const resolved = cells.some((c) => c.axes.stub === 'real' && !c.axes.platform) ? (opts.resolved ?? (await resolvedForRun(opts.fetch ?? true, opts.log))) : undefined;
  // Each cell's real stub: its platform's resolved, else the host release's.
  const stubOf = (c: Cell): ResolvedInstall | { unavailable: string } | undefined => {
    const p = usable(c);
    return p ? platformResolvedInstall(p) : resolved;
  };
  const runnable: Cell[] = [];
  for (const c of cells) {
    const p = binaryOf(c);
    const platform = platformOf(c);
    const stub = c.axes.stub === 'real' ? stubOf(c) : undefined;
    const defaults = platform && !('unavailable' in platform) && usesPlatformDefaults(c.scenario.files) ? platformDefaults(platform) : undefined;
    if (platform && 'unavailable' in platform) finish(cellBase(c, 'skip', `platform ${c.axes.platform} is not available: ${platform.unavailable}`));
    else if (defaults && 'problem' in defaults) finish(cellBase(c, 'skip', `${c.axes.platform}'s default files are not available: ${defaults.problem}`));
    else if (p && 'skipped' in p) finish(cellBase(c, 'skip', p.skipped));
    else if (stub && 'unavailable' in stub) finish(cellBase(c, 'skip', `the real systemd-resolved is not available: ${stub.unavailable}`));
    else runnable.push(c);
  }
  const batches = batchCells(runnable, opts.jobs);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++] as Cell[];
      const first = batch[0] as Cell;
      let sb: Sandbox;
      try {
        const install = first.axes.stub === 'real' ? stubOf(first) : undefined;
        const platform = usable(first);
        sb = await sandboxFor(first.scenario, { ...(first.axes.stub ? { stub: first.axes.stub } : {}), ...(install ? { install } : {}), ...(platform ? { platform } : {}), method });
      } catch (err) {
        for (const c of batch) finish(cellBase(c, 'error', `the sandbox could not be set up: ${(err as Error).message}`));
        continue;
      }
      try {
        for (const c of batch) {
          try {
            const pcapFile = opts.pcapDir ? join(opts.pcapDir, pcapName(c.id)) : undefined;
            if (c.program) finish(await runProgramCell(sb, c, (binaryOf(c) as { path: string }).path, opts.program ?? { args: [] }, pcapFile));
            else finish(await runCell(sb, c, probes.get(specKey(c)) as ProbeBinary, pcapFile));
          } catch (err) {
            finish(cellBase(c, 'error', (err as Error).message));
          }
        }
      } finally {
        await sb.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, batches.length)) }, worker));
  results.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const toolchains = new Map(cells.map((c) => [c.toolchain.goroot, c.toolchain]));
  const planned = opts.scenarios ?? [...new Map(cells.map((c) => [c.scenario.name, c.scenario])).values()];
  const meta: RunMeta = {
    harnessVersion: harnessVersion(),
    startedAt,
    finishedAt: new Date().toISOString(),
    host: { kernel: release(), distro: distro(), glibc: `glibc ${await glibcVersion()}`, arch: arch() },
    sandboxMethod: method.name,
    toolchains: [...toolchains.values()].map((t) => ({ version: t.version, goroot: t.goroot, source: t.source })),
    jobs: opts.jobs,
    ...(resolved ? { resolved: 'unavailable' in resolved ? `unavailable: ${resolved.unavailable}` : resolved.version } : {}),
    ...(platforms.size ? { platforms: [...platforms].map(([name, p]) => platformMeta(name, p)) } : {}),
    ...(opts.shard ? { shard: opts.shard } : {}),
    scenarioSet: { hash: scenarioSetHash(planned), scenarios: planned.length },
    argv: opts.argv ?? [],
  };
  return { schemaVersion: SCHEMA_VERSION, meta, cells: results, summary: summarize(results) };
}
