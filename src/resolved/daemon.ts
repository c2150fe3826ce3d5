/**
 * systemd-resolved inside a sandbox (this module runs in the sandbox worker, never on the host):
 * the link it needs, its runtime directory and configuration, the daemon itself, and resetting its
 * state between commands.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';

export interface ResolvedLaunch {
  binary: string;
  /** Holds libsystemd-shared-N.so. */
  libDir: string;
  version: string;
  /** The drop-in written to /run/systemd/resolved.conf.d/. */
  conf: string;
  /** Whether 127.0.0.53:53 should come up (DNSStubListener is not "no"). */
  stubListener: boolean;
}

export const CONF_DROPIN = '/run/systemd/resolved.conf.d/zz-go-dns-harness.conf';
const VARLINK = '/run/systemd/resolve/io.systemd.Resolve';
/** glibc's SIGRTMIN is 34; systemd-resolved resets learnt server feature levels on SIGRTMIN+1. */
const SIGRTMIN_PLUS_1 = 35;
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
    const child = spawn(launch.binary, [], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LD_LIBRARY_PATH: launch.libDir, SYSTEMD_LOG_LEVEL: 'debug', SYSTEMD_LOG_TARGET: 'console', SYSTEMD_LOG_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const d = new ResolvedDaemon(child, launch.version);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (d.exited) throw new Error(`systemd-resolved ${d.exited}: ${d.tail(8).join(' | ') || 'no output'}`);
      if (existsSync(VARLINK) && (!launch.stubListener || (await tcpOpen('127.0.0.53', 53)))) return d;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`systemd-resolved did not come up within ${timeoutMs} ms: ${d.tail(8).join(' | ') || 'no output'}`);
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

  private async waitFor(re: RegExp, mark: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.since(mark).some((l) => re.test(l))) return true;
      if (this.exited) return false;
      await sleep(5);
    }
    return false;
  }

  /**
   * Forgets what earlier commands taught it: the cache (SIGUSR2) and the feature levels it
   * learnt per server (SIGRTMIN+1), so every cell meets the stub as a fresh boot would. Waits
   * until its log confirms both.
   */
  async reset(): Promise<void> {
    if (this.exited) throw new Error(`systemd-resolved ${this.exited}: ${this.tail(8).join(' | ')}`);
    const m = this.mark();
    process.kill(this.pid, 'SIGUSR2');
    process.kill(this.pid, SIGRTMIN_PLUS_1);
    const flushed = await this.waitFor(/Flushed all caches/, m, 3000);
    const reset = await this.waitFor(/Resetting learnt feature levels/, m, 3000);
    if (!flushed || !reset) throw new Error(`systemd-resolved did not confirm ${flushed ? '' : 'flushing its cache '}${reset ? '' : 'resetting its feature levels '}within 3 s: ${this.tail(4).join(' | ')}`);
  }

  stop(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
