/**
 * A cell's result from what its probe run left: the probe's JSON and exit, Go's netdns trace on
 * stderr, and the fake servers' query log; then the observed path and the verdict. The runner
 * produces the run; this is the one place that turns it into the model.
 */
import { declaredPath, parseTrace, type ResolverTrace } from '../observe/trace.js';
import { disagrees, observePath } from '../observe/fingerprint.js';
import { cellGodebug, type Cell } from '../plan/cells.js';
import { evaluate } from './expect.js';
import type { CellResult, DeclaredPath, LookupOutcome, ProbeRun } from './model.js';
import { evaluateProgram } from './program-check.js';
import type { ProgramExpectations } from '../scenario/program-expect.js';

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

/** A word as a POSIX shell reads it back: single-quoted where it needs to be. */
const shellWord = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

export const reproCommand = (id: string, program?: { given: string; args: string[] }): string =>
  `go-dns-harness repro '${id}'${program ? ` --program ${shellWord(program.given)}${program.args.length ? ` -- ${program.args.map(shellWord).join(' ')}` : ''}` : ''}`;

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

/** What the wire says talked to the servers, and whether that disagrees with the declared paths; behind the real stub, resolved's log instead. */
function observe(c: Cell, r: ProbeRun, result: CellResult, declaredPaths: DeclaredPath[], extra: RunContext): void {
  if (c.axes.stub === 'real') {
    // The client asked systemd-resolved; what reached the fake servers is resolved's own traffic.
    result.observed = { path: 'none', evidence: [`not observed: the ${c.program ? 'program' : 'probe'} asked the real systemd-resolved, and the fake servers saw only resolved's own queries`], disagrees: false };
    result.resolved = { version: extra.resolvedVersion ?? 'unknown', log: r.resolvedLog ?? [] };
    return;
  }
  let obs = observePath(r.queries.flat());
  // The C library rules were measured on glibc; musl trips the same ones (one socket, same-ID resends).
  if (c.musl && obs.path === 'glibc') obs = { path: 'musl', evidence: obs.evidence.map((e) => `${e} (a C library's resolver: ${c.musl?.name} here)`) };
  const declared = declaredPaths.filter((p) => p !== 'unknown');
  result.observed = { ...obs, disagrees: declared.length > 0 && disagrees(declared, obs.path) };
}

/**
 * A program cell's result from its run: its exit, its output (capped by the sandbox), the paths
 * Go's trace declared for the names it looked up, the wire; judged by its dns-expect.yaml when
 * there is one, else measured only (verdict info).
 */
export function assembleProgramCell(c: Cell, r: ProbeRun, extra: RunContext & { programArgs: string[] }, expectations?: ProgramExpectations): CellResult {
  const result = cellBase(c, 'error');
  if (c.program) result.repro = reproCommand(c.id, { given: c.program.given, args: extra.programArgs });
  result.durationMs = extra.durationMs;
  result.probeMs = r.elapsedMs;
  result.probeExit = r.exitCode;
  result.queries = r.queries;
  if (extra.pcap) result.pcap = extra.pcap;
  if (r.spawnError) {
    result.reason = `the program could not be started: ${r.spawnError}`;
    return result;
  }
  const trace = parseTrace(r.stderr);
  result.declared = { mode: trace.mode, modeLine: trace.modeLine, raw: trace.raw };
  const paths = trace.orders.map((o) => ({ name: o.name, path: o.path }));
  const name = c.program?.name ?? c.axes.program ?? 'program';
  result.program = { name, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, stdout: r.stdout, stderr: r.stderr, ...(r.dropped ? { dropped: r.dropped } : {}), elapsedMs: r.elapsedMs, paths };
  if (c.axes.cgo === '1') result.libc = c.musl ? { name: 'musl', version: c.musl.version } : { name: 'glibc', version: 'unknown' };
  observe(c, r, result, paths.length ? paths.map((p) => p.path) : [declaredPath(trace)], extra);
  if (!expectations) {
    result.verdict = 'info';
    return result;
  }
  const { verdict, checks } = evaluateProgram(expectations, c.axes.scenario, c.axes, result.program);
  result.verdict = verdict;
  result.checks = checks;
  return result;
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
  observe(c, r, result, result.lookups.map((l) => l.declaredPath), extra);
  const { verdict, checks } = evaluate(s, c.axes, result.lookups, result.queries);
  result.verdict = verdict;
  result.checks = checks;
  return result;
}
