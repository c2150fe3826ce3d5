/**
 * A cell's result from what its probe run left: the probe's JSON and exit, Go's netdns trace on
 * stderr, and the fake servers' query log; then the observed path and the verdict. The runner
 * produces the run; this is the one place that turns it into the model.
 */
import { declaredPath, parseTrace, type ResolverTrace } from '../observe/trace.js';
import { disagrees, observePath } from '../observe/fingerprint.js';
import { cellGodebug, type Cell } from '../plan/cells.js';
import { evaluate } from './expect.js';
import type { CellResult, LookupOutcome, ProbeRun } from './model.js';

const HOST_KINDS = new Set(['host', 'ip4', 'ip6']);

/** What the runner knows beside the run: the parent-side time, the real stub, the pcap written. */
export interface RunContext {
  durationMs: number;
  resolvedVersion?: string;
  pcap?: { file: string; method: string };
}

interface ProbeOut {
  build?: { cgoEnabled?: string; glibc?: string };
  lookups?: Array<Omit<LookupOutcome, 'declaredPath'>>;
}

export const reproCommand = (id: string): string => `go-dns-harness repro '${id}'`;

/** A cell's result before (or instead of) a run: skipped, errored, or to be filled. */
export function cellBase(c: Cell, verdict: CellResult['verdict'], reason?: string): CellResult {
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

/** The cell's result from its probe run. */
export function assembleCell(c: Cell, r: ProbeRun, extra: RunContext): CellResult {
  const s = c.scenario;
  const result = cellBase(c, 'error');
  result.durationMs = extra.durationMs;
  result.probeMs = r.elapsedMs;
  result.probeExit = r.exitCode;
  result.queries = r.queries;
  result.probeStderr = r.stderr;
  if (extra.pcap) result.pcap = extra.pcap;
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
  if (c.axes.cgo === '1') result.libc = c.musl ? { name: 'musl', version: c.musl.version } : { name: 'glibc', version: out.build?.glibc || 'unknown' };
  result.lookups = (out.lookups ?? []).map((l) => ({
    ...l,
    declaredPath: HOST_KINDS.has(l.kind) ? declaredPath(trace, l.name) : trace.mode === 'go' || trace.mode === 'cgo' ? trace.mode : 'unknown',
  }));
  if (c.axes.stub === 'real') {
    // The probe asked systemd-resolved; what reached the fake servers is resolved's own traffic.
    result.observed = { path: 'none', evidence: ["not observed: the probe asked the real systemd-resolved, and the fake servers saw only resolved's own queries"], disagrees: false };
    result.resolved = { version: extra.resolvedVersion ?? 'unknown', log: r.resolvedLog ?? [] };
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
