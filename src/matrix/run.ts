import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { release, arch } from 'node:os';
import { execa } from 'execa';
import { godebugFor } from '../go/godebug.js';
import { buildProbes, isSkip, type ProbeBinary, type ProbeSkip, type ProbeSpec } from '../go/probe-build.js';
import { declaredPath, parseTrace, type ResolverTrace } from '../go/trace.js';
import { disagrees, observePath } from '../fingerprint/observe.js';
import { packageRoot } from '../paths.js';
import { evaluate } from '../results/expect.js';
import { scenarioSetHash } from '../scenario/hash.js';
import type { Scenario } from '../scenario/schema.js';
import { SCHEMA_VERSION, summarize, type CellResult, type LookupOutcome, type RunMeta, type RunResult } from '../results/model.js';
import { Sandbox, baseEnv } from '../sandbox/sandbox.js';
import { sandboxMethod } from '../sandbox/capability.js';
import { batchCells, type Cell, type Shard } from './plan.js';
import { resolvedForRun, type ResolvedInstall } from '../resolved/provision.js';
import { sandboxSetup } from '../scenario/sandbox-setup.js';

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
  log?: (s: string) => void;
  /** The scenarios of the whole plan (all shards): the run names their set (default: those of `cells`). */
  scenarios?: Scenario[];
}

const HOST_KINDS = new Set(['host', 'ip4', 'ip6']);

function specKey(c: Cell): string {
  return [c.toolchain.goroot, c.axes.cgo, c.axes.tags.join(','), c.axes.goModGo, c.musl?.root ?? ''].join('|');
}

interface ProbeOut {
  build?: { cgoEnabled?: string };
  lookups?: Array<Omit<LookupOutcome, 'declaredPath'>>;
}

export const reproCommand = (id: string): string => `go-dns-harness repro '${id}'`;

function cellGodebug(c: Cell): string {
  return [godebugFor(c.axes.netdns, c.axes.godebug), c.scenario.env.GODEBUG].filter(Boolean).join(',');
}

function base(c: Cell, verdict: CellResult['verdict'], reason?: string): CellResult {
  return {
    id: c.id,
    axes: c.axes,
    verdict,
    ...(reason ? { reason } : {}),
    godebugEnv: cellGodebug(c),
    declared: { mode: 'unknown', modeLine: null, raw: [] },
    observed: { path: 'none', evidence: [], disagrees: false },
    lookups: [],
    checks: [],
    queries: [],
    durationMs: 0,
    probeExit: null,
    repro: reproCommand(c.id),
  };
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
  const result = base(c, 'error');
  result.durationMs = durationMs;
  result.probeMs = r.elapsedMs;
  result.probeExit = r.exitCode;
  result.queries = r.queries;
  result.probeStderr = r.stderr;
  if (pcapFile && r.pcap) {
    mkdirSync(dirname(pcapFile), { recursive: true });
    writeFileSync(pcapFile, Buffer.from(r.pcap.base64, 'base64'));
    result.pcap = { file: pcapFile, method: r.pcap.method };
  }
  const trace: ResolverTrace = parseTrace(r.stderr);
  result.declared = { mode: trace.mode, modeLine: trace.modeLine, raw: trace.raw };
  let out: ProbeOut;
  try {
    out = JSON.parse(r.stdout) as ProbeOut;
  } catch {
    result.reason = r.timedOut ? 'the probe did not finish in time' : `the probe's output is not JSON (exit ${r.exitCode ?? r.signal}): ${r.stderr.trim().split('\n').slice(-2).join(' | ') || r.spawnError || 'no output'}`;
    return result;
  }
  if (out.build?.cgoEnabled !== undefined) result.builtCgo = out.build.cgoEnabled;
  if (c.axes.cgo === '1') result.libc = c.musl ? { name: 'musl', version: c.musl.version } : { name: 'glibc', version: await glibcVersion() };
  result.lookups = (out.lookups ?? []).map((l) => ({
    ...l,
    declaredPath: HOST_KINDS.has(l.kind) ? declaredPath(trace, l.name) : trace.mode === 'go' || trace.mode === 'cgo' ? trace.mode : 'unknown',
  }));
  if (c.axes.stub === 'real') {
    // The probe asked systemd-resolved; what reached the fake servers is resolved's own traffic.
    result.observed = { path: 'none', evidence: ["not observed: the probe asked the real systemd-resolved, and the fake servers saw only resolved's own queries"], disagrees: false };
    result.resolved = { version: sb.resolved?.version ?? 'unknown', log: r.resolvedLog ?? [] };
  } else {
    let obs = observePath(r.queries.flat());
    // The C library rules were measured on glibc; musl trips the same ones (one socket, same-ID resends).
    if (c.musl && obs.path === 'glibc') obs = { path: 'musl', evidence: obs.evidence.map((e) => `${e} (a C library's resolver: ${c.musl?.name} here)`) };
    const declared = result.lookups.map((l) => l.declaredPath).filter((p) => p !== 'unknown');
    result.observed = { ...obs, disagrees: declared.length > 0 && disagrees(declared, obs.path) };
  }
  const { verdict, checks } = evaluate(s, c.axes, result.lookups, result.queries);
  result.verdict = verdict;
  result.checks = checks;
  return result;
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
  const specs = new Map<string, ProbeSpec>();
  for (const c of cells) specs.set(specKey(c), { toolchain: c.toolchain, cgo: c.axes.cgo, tags: c.axes.tags, goModGo: c.axes.goModGo, ...(c.musl ? { musl: c.musl } : {}) });
  const built = await buildProbes([...specs.values()], 2);
  const probes = new Map<string, ProbeBinary | ProbeSkip>([...specs.keys()].map((k, i) => [k, built[i] as ProbeBinary | ProbeSkip]));

  const results: CellResult[] = [];
  let done = 0;
  const finish = (r: CellResult): void => {
    results.push(r);
    done++;
    opts.onCell?.(r, done, cells.length);
  };
  const resolved = cells.some((c) => c.axes.stub === 'real') ? (opts.resolved ?? (await resolvedForRun(opts.fetch ?? true, opts.log))) : undefined;
  const runnable: Cell[] = [];
  for (const c of cells) {
    const p = probes.get(specKey(c));
    if (p && isSkip(p)) finish(base(c, 'skip', p.skipped));
    else if (c.axes.stub === 'real' && resolved && 'unavailable' in resolved) finish(base(c, 'skip', `the real systemd-resolved is not available: ${resolved.unavailable}`));
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
        sb = await Sandbox.open({ ...sandboxSetup(first.scenario, first.axes.stub, resolved), method });
      } catch (err) {
        for (const c of batch) finish(base(c, 'error', `the sandbox could not be set up: ${(err as Error).message}`));
        continue;
      }
      try {
        for (const c of batch) {
          try {
            finish(await runCell(sb, c, probes.get(specKey(c)) as ProbeBinary, opts.pcapDir ? join(opts.pcapDir, pcapName(c.id)) : undefined));
          } catch (err) {
            finish(base(c, 'error', (err as Error).message));
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
    ...(opts.shard ? { shard: opts.shard } : {}),
    scenarioSet: { hash: scenarioSetHash(planned), scenarios: planned.length },
    argv: opts.argv ?? [],
  };
  return { schemaVersion: SCHEMA_VERSION, meta, cells: results, summary: summarize(results) };
}
