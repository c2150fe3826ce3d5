import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { HarnessError } from '../errors.js';
import { downloadAndUnpack, lastLines, updatePrivateApt } from './apt.js';
import { readOsRelease } from './apt-sources.js';
import { cacheDir } from '../paths.js';

export class ResolvedProvisionError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GDH_RESOLVED', message, options);
  }
}

/** An unpacked systemd-resolved, ready to run from the cache. */
export interface ResolvedInstall {
  /** `systemd-resolved --version`'s first line, e.g. "systemd 252 (252.39-1~deb12u2)". */
  version: string;
  root: string;
  /** The daemon. */
  binary: string;
  /** Directory holding libsystemd-shared-N.so, for LD_LIBRARY_PATH. */
  libDir: string;
  /** libnss_resolve.so.2, to bind into the sandbox's library directory. */
  nssResolve: string;
  /**
   * A platform's resolved (src/provision/platform.ts): started with that release's loader, with
   * libDir its library path; its NSS module is found by the platform's probes themselves.
   */
  loader?: string;
}

/**
 * The packages, pinned to this machine's own release: the private sources also list newer
 * suites (for Go toolchains), whose systemd would need a newer glibc. libsystemd-shared is
 * fetched too, so nothing from the host's systemd (if any) is needed.
 */
const PACKAGES = ['systemd-resolved', 'libnss-resolve', 'libsystemd-shared'];

export const resolvedDir = (): string => join(cacheDir(), 'systemd-resolved');

function findFile(root: string, name: string): string | undefined {
  const stack = existsSync(root) ? [root] : [];
  while (stack.length) {
    const dir = stack.pop() as string;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name === name || (name.endsWith('*') && e.name.startsWith(name.slice(0, -1)))) return p;
    }
  }
  return undefined;
}

async function describe(root: string): Promise<ResolvedInstall> {
  const binary = join(root, 'lib/systemd/systemd-resolved');
  const shared = findFile(join(root, 'usr/lib'), 'libsystemd-shared-*');
  const nssResolve = findFile(root, 'libnss_resolve.so.2');
  if (!existsSync(binary) || !shared || !nssResolve) throw new ResolvedProvisionError(`${root} is not a complete systemd-resolved unpack (binary, libsystemd-shared, libnss_resolve); run with --force to fetch it again`);
  const libDir = join(shared, '..');
  const r = await execa(binary, ['--version'], { env: { LD_LIBRARY_PATH: libDir }, reject: false, timeout: 10_000 });
  if (r.exitCode !== 0) throw new ResolvedProvisionError(`${binary} --version failed: ${(r.stderr || r.stdout || String(r.shortMessage)).trim().split('\n').at(-1)}`);
  return { version: r.stdout.split('\n')[0]?.trim() ?? '', root, binary, libDir, nssResolve };
}

/**
 * Provisions systemd-resolved from the distribution archive without installing anything:
 * `apt-get download` through the harness's private apt state, then `dpkg-deb -x` into the cache.
 * A complete unpack already there is reused.
 */
export async function provisionResolved(opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<ResolvedInstall> {
  const root = resolvedDir();
  if (existsSync(root) && !opts.force) return describe(root);
  const os = readOsRelease();
  if (!os.codename) throw new ResolvedProvisionError('/etc/os-release names no VERSION_CODENAME, so the release to take systemd-resolved from is unknown');
  try {
    await updatePrivateApt(false, opts.log);
  } catch (err) {
    throw new ResolvedProvisionError(`systemd-resolved cannot be provisioned here: ${(err as Error).message}`, { cause: err });
  }
  opts.log?.(`fetching ${PACKAGES.join(', ')} (${os.codename})`);
  try {
    await downloadAndUnpack(PACKAGES.map((p) => `${p}/${os.codename}`), root);
  } catch (err) {
    throw new ResolvedProvisionError(`fetching systemd-resolved failed: ${lastLines(err)}`, { cause: err });
  }
  return describe(root);
}

/**
 * The systemd-resolved for a run that has real-stub cells: the cached one, else fetched (unless
 * `fetch` is false). When there is none to be had, the reason, so those cells are skipped with it.
 */
export async function resolvedForRun(fetch: boolean, log?: (s: string) => void): Promise<ResolvedInstall | { unavailable: string }> {
  if (!fetch && !existsSync(resolvedDir())) return { unavailable: `not provisioned in ${resolvedDir()} and fetching is off; run: go-dns-harness resolved fetch` };
  try {
    if (!existsSync(resolvedDir())) log?.('provisioning systemd-resolved from the archive for the real-stub cells');
    return await provisionResolved(log ? { log } : {});
  } catch (err) {
    return { unavailable: (err as Error).message };
  }
}
