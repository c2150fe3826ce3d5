/**
 * The sandbox worker: runs inside the private network, mount and PID namespaces. It brings up
 * loopback, puts the scenario's files in place, starts the fake DNS servers, then runs commands
 * one at a time and reports each with the queries the servers saw meanwhile, as NDJSON on stdout.
 * When its stdin closes (the harness exited, even by SIGKILL) it stops everything and exits; as
 * PID 1 of its namespace, its exit takes every process inside with it, and the namespace's mounts
 * vanish with the namespace.
 */
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { execa, type ResultPromise } from 'execa';
import { startFakeDns, type FakeDnsServer } from '../dns/server.js';
import { formatListen } from '../dns/listen.js';
import { mountFiles } from './mounts.js';
import { writePcap } from '../pcap/write.js';
import { startTcpdump, type Tcpdump } from './tcpdump.js';
import { endpointKey } from '../pcap/read.js';
import { DEFAULT_OUTPUT_CAP, type Request, type RunResult, type WorkerEvent } from './protocol.js';
import { ResolvedDaemon, bringUpLink, prepareRuntime } from '../resolved/daemon.js';

const servers: FakeDnsServer[] = [];
let scratchDir = '';
/** Raw messages kept per server, for pcap files when tcpdump cannot capture. */
const CAPTURE = 5000;
let running: ResultPromise | undefined;
let resolved: ResolvedDaemon | undefined;
let resolvedLaunch: Extract<Request, { type: 'setup' }>['resolved'];
let stopping = false;

function emit(ev: WorkerEvent): void {
  process.stdout.write(`${JSON.stringify(ev)}\n`);
}

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    running?.kill('SIGKILL');
    resolved?.stop();
    await Promise.allSettled(servers.map((s) => s.close()));
  }
  process.exit(code);
}

async function selfTest(): Promise<void> {
  const steps: string[] = [];
  try {
    await execa('ip', ['link', 'set', 'lo', 'up']);
    steps.push('ip link set lo up');
    await execa('mount', ['--bind', '/etc/hosts', '/etc/hosts']);
    steps.push('mount --bind over /etc/hosts');
    const s = await startFakeDns({ listen: ['127.0.0.53:53/udp'] });
    await s.close();
    steps.push('listen on 127.0.0.53:53');
    emit({ type: 'self-test', ok: true, steps });
  } catch (err) {
    const e = err as { shortMessage?: string; stderr?: unknown; message: string };
    const detail = typeof e.stderr === 'string' && e.stderr.trim() ? `: ${e.stderr.trim().split('\n')[0]}` : '';
    emit({ type: 'self-test', ok: false, steps, error: `${e.shortMessage ?? e.message}${detail}` });
    process.exitCode = 1;
  }
}

async function setup(req: Extract<Request, { type: 'setup' }>): Promise<void> {
  await execa('ip', ['link', 'set', 'lo', 'up']);
  // resolved's /run goes first: the scenario's files may land in it (Ubuntu's resolv.conf link).
  if (req.resolved) {
    await prepareRuntime(req.resolved);
    await bringUpLink();
  }
  const mounts = req.mountsDone ? req.files.map((f) => ({ target: f.target, mountedAt: f.target, note: 'mounted by bwrap' })) : await mountFiles(req.files, req.scratch);
  scratchDir = req.scratch;
  for (const [i, opts] of req.servers.entries()) servers.push(await startFakeDns({ ...opts, capture: Math.max(opts.capture ?? 0, CAPTURE) }, `servers[${i}]`));
  if (req.resolved) resolved = await ResolvedDaemon.start(req.resolved);
  resolvedLaunch = req.resolved;
  emit({ type: 'ready', servers: servers.map((s) => s.addresses.map(formatListen)), mounts, uid: process.getuid?.() ?? -1, ...(resolved ? { resolved: { version: resolved.version, pid: resolved.pid } } : {}) });
}

async function run(req: Extract<Request, { type: 'run' }>): Promise<void> {
  // Each command starts from a fresh server state: `nth` rules count this command's queries only.
  for (const s of servers) s.resetCounters();
  // Every command meets systemd-resolved as a fresh boot would (see ResolvedDaemon.restart).
  if (resolved && resolvedLaunch) resolved = await resolved.restart(resolvedLaunch);
  const resolvedMark = resolved?.mark() ?? 0;
  const marks = servers.map((s) => s.log.count);
  const packetMarks = servers.map((s) => s.capture?.count ?? 0);
  let tcpdump: Tcpdump | { error: string } | undefined;
  if (req.pcap === 'auto') tcpdump = await startTcpdump(scratchDir, req.id);
  else if (req.pcap === 'log') tcpdump = { error: 'not used (log asked for)' };
  const started = performance.now();
  const result: RunResult = { id: req.id, exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', elapsedMs: 0, queries: [] };
  try {
    running = execa(req.cmd, req.args, {
      env: req.env,
      extendEnv: false,
      reject: false,
      timeout: req.timeoutMs,
      killSignal: 'SIGKILL',
      stdin: 'ignore',
      // Read as it comes and kept up to the cap: a command that prints megabytes keeps running,
      // and what reaches the parent stays bounded.
      buffer: false,
      ...(req.cwd ? { cwd: req.cwd } : {}),
    });
    const cap = req.maxOutputBytes ?? DEFAULT_OUTPUT_CAP;
    const out = keepUpTo(running.stdout, cap);
    const err = keepUpTo(running.stderr, cap);
    const r = await running;
    const [o, e] = await Promise.all([out, err]);
    result.exitCode = r.exitCode ?? null;
    result.signal = r.signal ?? null;
    result.timedOut = r.timedOut;
    // Output exactly as the command wrote it.
    result.stdout = o.text;
    result.stderr = e.text;
    if (o.dropped || e.dropped) result.dropped = { stdout: o.dropped, stderr: e.dropped };
    if (r.failed && r.exitCode === undefined && !r.timedOut && !r.signal) result.spawnError = r.shortMessage;
  } finally {
    running = undefined;
  }
  result.elapsedMs = performance.now() - started;
  // Only this command's queries: everything logged since it started (cells run one at a time).
  result.queries = servers.map((s, i) => s.log.entries(marks[i] ?? 0));
  if (resolved) result.resolvedLog = resolved.since(resolvedMark);
  if (req.pcap) {
    const sent = servers.flatMap((s, i) => s.capture?.since(packetMarks[i] ?? 0) ?? []);
    const expect = { endpoints: new Set(sent.map((p) => endpointKey(p.server.address, p.server.port))), bytes: sent.reduce((n, p) => n + p.bytes.length + (p.transport === 'tcp' ? 2 : 0), 0) };
    const captured = tcpdump && !('error' in tcpdump) ? await tcpdump.stop(expect) : { error: tcpdump?.error ?? 'not started' };
    result.pcap =
      'bytes' in captured
        ? { method: 'tcpdump', base64: captured.bytes.toString('base64') }
        : { method: `log (tcpdump: ${captured.error})`, base64: writePcap(sent).toString('base64') };
  }
  emit({ type: 'result', ...result });
}

/** A stream's first `cap` bytes as text, and how many more it carried, once it has ended. */
function keepUpTo(stream: Readable | null | undefined, cap: number): Promise<{ text: string; dropped: number }> {
  if (!stream) return Promise.resolve({ text: '', dropped: 0 });
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  return new Promise((done) => {
    stream.on('data', (b: Buffer) => {
      const room = Math.max(0, cap - kept);
      if (room > 0) chunks.push(b.subarray(0, room));
      kept += Math.min(room, b.length);
      dropped += b.length - Math.min(room, b.length);
    });
    const end = (): void => done({ text: Buffer.concat(chunks).toString('utf8'), dropped });
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--self-test')) return selfTest();
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  const lines = createInterface({ input: process.stdin });
  // Requests are handled strictly in order: one command at a time keeps each log exactly its own.
  let chain = Promise.resolve();
  lines.on('line', (line) => {
    chain = chain.then(async () => {
      if (stopping || line.trim() === '') return;
      let req: Request;
      try {
        req = JSON.parse(line) as Request;
        if (req.type === 'setup') await setup(req);
        else if (req.type === 'run') await run(req);
      } catch (err) {
        const e = err as { code?: string; shortMessage?: string; message: string };
        emit({ type: 'error', message: e.shortMessage ?? e.message, ...(e.code ? { code: String(e.code) } : {}) });
      }
    });
  });
  // The harness is gone (or done): stop now, even in the middle of a command.
  lines.on('close', () => void stop(0));
}

void main();
