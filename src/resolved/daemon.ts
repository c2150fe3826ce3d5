/**
 * systemd-resolved inside a sandbox (this module runs in the sandbox worker, never on the host):
 * the link it needs, its runtime directory and configuration, the daemon itself, and resetting its
 * state between commands.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { HarnessError } from '../errors.js';

export interface ResolvedLaunch {
  binary: string;
  /** Holds libsystemd-shared-N.so (a colon-separated path with `loader`). */
  libDir: string;
  /** Another release's dynamic loader to start the daemon with (its own glibc), instead of the host's. */
  loader?: string;
  version: string;
  /** The drop-in written to /run/systemd/resolved.conf.d/. */
  conf: string;
  /** Whether 127.0.0.53:53 should come up (DNSStubListener is not "no"). */
  stubListener: boolean;
}

export const CONF_DROPIN = '/run/systemd/resolved.conf.d/zz-go-dns-harness.conf';
const VARLINK = '/run/systemd/resolve/io.systemd.Resolve';
const LOG_KEEP = 20_000;

/**
 * What must exist before the scenario's files are mounted: a tmpfs on /run (resolved's runtime
 * directory, private to the sandbox) holding the configuration drop-in, and the host's own
 * resolved.conf.d hidden so only the scenario's options apply.
 */
export async function prepareRuntime(launch: ResolvedLaunch): Promise<void> {
  await execa('mount', ['-t', 'tmpfs', '-o', 'mode=755', 'gdh-run', '/run']);
  mkdirSync('/run/systemd/resolve', { recursive: true });
  mkdirSync('/run/systemd/resolved.conf.d', { recursive: true });
  writeFileSync(CONF_DROPIN, launch.conf);
  if (existsSync('/etc/systemd/resolved.conf.d')) await execa('mount', ['-t', 'tmpfs', '-o', 'mode=755', 'gdh-empty', '/etc/systemd/resolved.conf.d']);
}

/**
 * systemd-resolved treats a network with only loopback as down and answers SERVFAIL to
 * everything. A veth pair with an address and a default route makes it up; both ends live in the
 * sandbox's own network namespace, so nothing sent there can leave it.
 */
export async function bringUpLink(): Promise<void> {
  await execa('ip', ['link', 'add', 'gdh0', 'type', 'veth', 'peer', 'name', 'gdh1']);
  await execa('ip', ['link', 'set', 'gdh0', 'up']);
  await execa('ip', ['link', 'set', 'gdh1', 'up']);
  await execa('ip', ['addr', 'add', '192.0.2.254/24', 'dev', 'gdh0']);
  await execa('ip', ['route', 'add', 'default', 'dev', 'gdh0']);
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export class ResolvedDaemon {
  private lines: string[] = [];
  /** Lines ever logged; `lines` holds the last LOG_KEEP of them. */
  private total = 0;
  private exited: string | undefined;

  private constructor(private readonly child: ChildProcess, readonly version: string) {
    const take = (stream: NodeJS.ReadableStream | null) => {
      if (!stream) return;
      createInterface({ input: stream }).on('line', (l) => {
        this.lines.push(l);
        this.total++;
        if (this.lines.length > LOG_KEEP) this.lines.splice(0, this.lines.length - LOG_KEEP);
      });
    };
    take(child.stdout);
    take(child.stderr);
    child.once('exit', (code, signal) => (this.exited = `exited (${signal ?? code})`));
    child.once('error', (err) => (this.exited = `could not start: ${err.message}`));
  }

  /** Starts the daemon, logging at debug level to its stderr, and waits until it serves. */
  static async start(launch: ResolvedLaunch, timeoutMs = 10_000): Promise<ResolvedDaemon> {
    const [file, args] = launch.loader ? [launch.loader, ['--library-path', launch.libDir, launch.binary]] : [launch.binary, []];
    const child = spawn(file, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(launch.loader ? {} : { LD_LIBRARY_PATH: launch.libDir }), SYSTEMD_LOG_LEVEL: 'debug', SYSTEMD_LOG_TARGET: 'console', SYSTEMD_LOG_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const d = new ResolvedDaemon(child, launch.version);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (d.exited) throw new HarnessError('GDH_RESOLVED', `systemd-resolved ${d.exited}: ${d.tail(8).join(' | ') || 'no output'}`);
      if (existsSync(VARLINK) && (!launch.stubListener || (await tcpOpen('127.0.0.53', 53)))) return d;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new HarnessError('GDH_RESOLVED', `systemd-resolved did not come up within ${timeoutMs} ms: ${d.tail(8).join(' | ') || 'no output'}`);
      }
      await sleep(20);
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  tail(n: number): string[] {
    return this.lines.slice(-n);
  }

  /** A position in the log, for `since`. */
  mark(): number {
    return this.total;
  }

  /** The lines logged after `mark` (as many as are still kept). */
  since(mark: number): string[] {
    const n = this.total - mark;
    return n <= 0 ? [] : this.lines.slice(-Math.min(n, this.lines.length));
  }

  /**
   * A fresh daemon for the next command: a new process, so nothing carries over from the last one:
   * not its cache, not what it learnt about the upstreams' EDNS, and not its transactions. Flushing
   * (SIGUSR2) and forgetting feature levels (SIGRTMIN+1) left those running: a transaction an
   * earlier cell started, still re-sending to a silent upstream, answered the next cell's query
   * or put its re-sends in that cell's log (measured: 26 of 576 real-stub cells differed in what
   * the upstream saw between two default runs).
   */
  async restart(launch: ResolvedLaunch): Promise<ResolvedDaemon> {
    await this.stopAndWait();
    // The socket file outlives a killed daemon; the new one is up when it has made its own.
    rmSync(VARLINK, { force: true });
    return ResolvedDaemon.start(launch);
  }

  /** Kills the daemon and waits until it is gone, so its sockets are free for the next one. */
  async stopAndWait(): Promise<void> {
    if (this.exited || this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await gone;
  }

  stop(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
