import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { HarnessError } from '../errors.js';
import type { FakeDnsOptions } from '../dns/options-schema.js';
import { sandboxMethod } from './capability.js';
import type { MethodName, SandboxMethod } from './methods.js';
import type { FileMount, MountReport, Request, RunResult, WorkerEvent } from './protocol.js';
import type { ResolvedLaunch } from '../resolved/daemon.js';
import { track, untrack } from './registry.js';
import { workerCommand, workerEnv } from './worker-command.js';

export interface SandboxOptions {
  /**
   * Files to show inside: a bare name (resolv.conf, nsswitch.conf, hosts, gai.conf, host.conf,
   * mdns.allow, ...) means /etc/NAME; an absolute path is taken as it is. null means "no such file".
   */
  files: Record<string, string | null>;
  servers: FakeDnsOptions[];
  /** Host files shown read-only inside at `target` (a library, say), after `files`. */
  binds?: Array<{ target: string; source: string }>;
  /** Run the real systemd-resolved on 127.0.0.53 (see src/resolved/). */
  resolved?: ResolvedLaunch;
  /** A specific method instead of the first that works. */
  method?: SandboxMethod;
  /** Where the sandbox's host-side temp dir goes (default: the OS temp dir). */
  tmpRoot?: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  cwd?: string;
  /** Return a pcap of the command's DNS traffic (see the protocol's `pcap`). */
  pcap?: 'auto' | 'log';
  /** Keep at most this many bytes of each of stdout and stderr (default DEFAULT_OUTPUT_CAP); the rest is counted in `dropped`. */
  maxOutputBytes?: number;
}

export class SandboxError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GDH_SANDBOX_RUN', message, options);
  }
}

const TMP_PREFIX = 'gdh-sandbox-';

/** A minimal environment for commands inside: the host's PATH, nothing that points at the host's resolver. */
export function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' };
}

/** Removes temp dirs left by harness processes that were killed outright (SIGKILL). */
export function sweepStaleDirs(root = tmpdir()): void {
  for (const name of readdirSync(root)) {
    const m = new RegExp(`^${TMP_PREFIX}(\\d+)-`).exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) rmSync(join(root, name), { recursive: true, force: true });
  }
}

/**
 * One sandbox: a worker in private namespaces with the scenario's files and fake servers, ready to
 * run commands one at a time. Close it when done; it also closes if this process ends, however.
 */
export class Sandbox {
  private readonly pending = new Map<number, { resolve: (r: RunResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private exited = false;
  private stderrTail = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly method: MethodName,
    readonly dir: string,
    readonly servers: string[][],
    readonly mounts: MountReport[],
    /** The real systemd-resolved running inside, when asked for. */
    readonly resolved?: { version: string; pid: number },
  ) {}

  static async open(opts: SandboxOptions): Promise<Sandbox> {
    const method = opts.method ?? (await sandboxMethod()).method;
    const root = opts.tmpRoot ?? tmpdir();
    sweepStaleDirs(root);
    const dir = mkdtempSync(join(root, `${TMP_PREFIX}${process.pid}-`));
    chmodSync(dir, 0o755);
    track(dir);
    const files: FileMount[] = [];
    for (const [name, content] of Object.entries(opts.files)) {
      const target = isAbsolute(name) ? name : join('/etc', name);
      if (content === null) {
        files.push({ target, source: null });
        continue;
      }
      const source = join(dir, `file-${files.length}-${name.replace(/[^A-Za-z0-9.-]/g, '_')}`);
      writeFileSync(source, content, { mode: 0o644 });
      files.push({ target, source });
    }
    for (const b of opts.binds ?? []) files.push({ target: b.target, source: b.source });
    const scratch = join(dir, 'scratch');
    mkdirSync(scratch);
    const [cmd, args] = method.argv(workerCommand());
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: workerEnv() });
    track(child);
    const box = await new Promise<Sandbox>((resolve, reject) => {
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + String(d)).slice(-4000)));
      child.once('error', (err) => reject(new SandboxError(`cannot start the sandbox worker (${method.name}): ${err.message}`, { cause: err })));
      child.once('exit', (code, signal) => reject(new SandboxError(`the sandbox worker (${method.name}) exited during setup (${signal ?? code}): ${stderr.trim() || 'no output'}`)));
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        let ev: WorkerEvent;
        try {
          ev = JSON.parse(line) as WorkerEvent;
        } catch {
          reject(new SandboxError(`the sandbox worker said something unexpected: ${line.slice(0, 200)}`));
          return;
        }
        if (ev.type === 'ready') {
          const b = new Sandbox(child, method.name, dir, ev.servers, ev.mounts, ev.resolved);
          b.listen(lines);
          child.stderr?.removeAllListeners('data');
          child.stderr?.on('data', (d: Buffer) => (b.stderrTail = (b.stderrTail + String(d)).slice(-4000)));
          child.removeAllListeners('exit');
          child.removeAllListeners('error');
          child.on('exit', () => b.onExit());
          resolve(b);
        } else if (ev.type === 'error') reject(new SandboxError(`sandbox setup failed: ${ev.message}`));
        else reject(new SandboxError(`the sandbox worker said something unexpected: ${line.slice(0, 200)}`));
      });
      child.stdin!.write(`${JSON.stringify({ type: 'setup', files, servers: opts.servers, mountsDone: false, scratch, ...(opts.resolved ? { resolved: opts.resolved } : {}) } satisfies Request)}\n`);
    }).catch(async (err: unknown) => {
      child.kill('SIGKILL');
      cleanupDir(dir);
      untrack(child);
      throw err;
    });
    return box;
  }

  private listen(lines: ReturnType<typeof createInterface>): void {
    lines.on('line', (line) => {
      let ev: WorkerEvent;
      try {
        ev = JSON.parse(line) as WorkerEvent;
      } catch {
        return;
      }
      if (ev.type === 'result') {
        const { type: _t, ...result } = ev;
        this.pending.get(result.id)?.resolve(result);
        this.pending.delete(result.id);
      } else if (ev.type === 'error') {
        // An error answers the oldest request still waiting (the worker handles them in order).
        const first = [...this.pending.entries()][0];
        if (first) {
          this.pending.delete(first[0]);
          first[1].reject(new SandboxError(ev.message));
        }
      }
    });
  }

  private onExit(): void {
    this.exited = true;
    for (const [, p] of this.pending) p.reject(new SandboxError(`the sandbox worker exited: ${this.stderrTail.trim() || 'no output'}`));
    this.pending.clear();
    cleanupDir(this.dir);
    untrack(this.child);
  }

  /** Runs one command inside and returns its outcome with the queries the servers saw meanwhile. */
  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    if (this.exited) return Promise.reject(new SandboxError('the sandbox is closed'));
    const id = this.nextId++;
    const req: Request = { type: 'run', id, cmd, args, env: opts.env ?? baseEnv(), timeoutMs: opts.timeoutMs ?? 60_000, ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.pcap ? { pcap: opts.pcap } : {}), ...(opts.maxOutputBytes ? { maxOutputBytes: opts.maxOutputBytes } : {}) };
    return new Promise<RunResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify(req)}\n`);
    });
  }

  /** Ends the worker (closing its stdin), waits for it, and removes the host-side temp dir. */
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  }
}

function cleanupDir(dir: string): void {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  untrack(dir);
}
