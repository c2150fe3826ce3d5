/**
 * Platforms: other Debian releases' glibc, NSS modules and systemd-resolved, unpacked side by side
 * in the cache from the archive (`apt-get download` + `dpkg-deb -x`, one private apt state per
 * release; no root, nothing installed), so cgo probes can be built against and run on that glibc
 * and the real stub can be that release's resolved.
 */
import { execa } from 'execa';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { HarnessError } from '../errors.js';
import { cacheDir } from '../paths.js';
import { aptOptions, downloadAndUnpack, lastLines, updatePrivateApt, type PrivateApt } from './apt.js';
import { readOsRelease } from './apt-sources.js';
import { upstreamVersion } from './musl.js';
import type { ResolvedInstall } from './resolved.js';

export class PlatformError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GDH_PLATFORM', message, options);
  }
}

/** A Debian release the archive serves, and what it stands for among the releases people run. */
export interface PlatformSpec {
  name: string;
  suite: string;
  /** The Ubuntu release(s) whose glibc and systemd are nearest, for readers who run Ubuntu. */
  standsFor: string;
}

export const PLATFORMS: readonly PlatformSpec[] = [
  { name: 'debian-11', suite: 'bullseye', standsFor: 'Ubuntu 20.04 (glibc 2.31, systemd 245)' },
  { name: 'debian-12', suite: 'bookworm', standsFor: 'Ubuntu 22.04 (glibc 2.35, systemd 249)' },
  { name: 'debian-13', suite: 'trixie', standsFor: 'Ubuntu 24.04 (glibc 2.39, systemd 255)' },
  { name: 'debian-sid', suite: 'sid', standsFor: 'the newest Ubuntu' },
];

/** The axis point of the machine the harness runs on (its own glibc and the resolved of its release). */
export const HOST_PLATFORM = 'host';

/** Bumped when what a fetch leaves in the cache changes, so an older unpack is fetched again. */
const LAYOUT = 2;

/** A platform unpacked in the cache, ready to build against and run on. */
export interface PlatformInstall {
  name: string;
  suite: string;
  standsFor: string;
  root: string;
  /** Upstream glibc version ("2.31") and the Debian package's ("2.31-13+deb11u11"). */
  glibc: string;
  libcPackage: string;
  /** The release's dynamic loader, and the library directories it is to search (RPATH, --library-path). */
  loader: string;
  libDirs: string[];
  /** The release's systemd-resolved, or why it cannot run here. */
  resolved: PlatformResolved | { unavailable: string };
  /** The NSS modules the release's resolved package recommends (installed with it by default), e.g. libnss-resolve. */
  nssDefaults: string[];
}

export interface PlatformResolved {
  /** `systemd-resolved --version`'s first line, run on the platform's own loader. */
  version: string;
  binary: string;
  /** libDirs plus the directory of libsystemd-shared. */
  libPath: string[];
  nssResolve: string;
}

/** The loader and the multiarch triplet of this machine's architecture. */
function machine(): { loader: string; triplet: string } {
  if (arch() === 'arm64') return { loader: 'lib/ld-linux-aarch64.so.1', triplet: 'aarch64-linux-gnu' };
  return { loader: 'lib64/ld-linux-x86-64.so.2', triplet: 'x86_64-linux-gnu' };
}

export const platformsDir = (): string => join(cacheDir(), 'platforms');
const platformApt = (p: PlatformSpec): PrivateApt => ({ dir: join(cacheDir(), `apt-${p.suite}`), debianSuites: [p.suite], status: join(cacheDir(), `apt-${p.suite}`, 'status') });
const manifestOf = (root: string): string => join(root, 'gdh-platform.json');

export function platformSpec(name: string): PlatformSpec {
  const p = PLATFORMS.find((x) => x.name === name);
  if (!p) throw new PlatformError(`"${name}" is not a platform (${PLATFORMS.map((x) => x.name).join(', ')})`);
  return p;
}

/** The platform's unpack as its manifest describes it, or why it is not usable. */
export function readPlatform(name: string): PlatformInstall | { unavailable: string } {
  const spec = platformSpec(name);
  const root = join(platformsDir(), name);
  const file = manifestOf(root);
  if (!existsSync(file)) return { unavailable: `${name} is not fetched (no ${file}); run: go-dns-harness platform fetch ${name}` };
  let m: PlatformInstall & { layout?: number };
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as PlatformInstall & { layout?: number };
  } catch (err) {
    return { unavailable: `${file} is not readable JSON (${(err as Error).message}); run: go-dns-harness platform fetch ${name} --force` };
  }
  if (m.layout !== LAYOUT) return { unavailable: `${name} was fetched by an older harness (layout ${m.layout ?? 1}, want ${LAYOUT}); run: go-dns-harness platform fetch ${name} --force` };
  if (!existsSync(m.loader)) return { unavailable: `${name}'s loader ${m.loader} is missing; run: go-dns-harness platform fetch ${name} --force` };
  return { ...m, ...spec, root };
}

/** The platforms with a usable unpack in the cache, in the table's order. */
export function fetchedPlatforms(): PlatformInstall[] {
  return PLATFORMS.map((p) => readPlatform(p.name)).filter((p): p is PlatformInstall => !('unavailable' in p));
}

async function candidate(pkg: string, apt: PrivateApt): Promise<string | undefined> {
  return (await field(pkg, 'Version', apt))?.split(' ')[0];
}

/** A field of the package's record in the release's archive. */
async function field(pkg: string, name: string, apt: PrivateApt): Promise<string | undefined> {
  const r = await execa('apt-cache', [...aptOptions(apt), 'show', '--no-all-versions', pkg], { reject: false });
  return new RegExp(`^${name}: (.+)$`, 'm').exec(r.stdout)?.[1]?.trim();
}

/**
 * The libraries a package needs, recursively, by the release's own dependencies: every package
 * named lib* (the daemon's shared libraries and theirs); tools and data packages are left out.
 */
async function libraryClosure(pkgs: string[], apt: PrivateApt): Promise<string[]> {
  const r = await execa('apt-cache', [...aptOptions(apt), 'depends', '--recurse', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...pkgs], { reject: false, timeout: 120_000 });
  if (r.exitCode !== 0) throw new PlatformError(`apt-cache depends ${pkgs.join(' ')} failed: ${lastLines(r)}`);
  // Top-level lines name packages; indented ones name dependencies, virtual ones in <...>.
  const names = r.stdout.split('\n').filter((l) => /^[a-z0-9][a-z0-9+.-]*$/.test(l));
  return [...new Set(names.filter((n) => n.startsWith('lib')))];
}

/**
 * Unpacked elsewhere, a package's absolute symlinks (bullseye's loader link, several .so links)
 * point at the host's files: each is made relative to the unpack. A merged-/usr release also
 * lacks the /lib and /lib64 links its base-files would make.
 */
export function relocateLinks(root: string): number {
  let fixed = 0;
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop() as string;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isSymbolicLink()) {
        const target = readlinkSync(p);
        if (target.startsWith('/')) {
          unlinkSync(p);
          symlinkSync(relative(dirname(p), join(root, target)) || '.', p);
          fixed++;
        }
      } else if (e.isDirectory()) stack.push(p);
    }
  }
  for (const top of ['lib', 'lib64', 'bin', 'sbin']) {
    const at = join(root, top);
    let present = true;
    try {
      lstatSync(at);
    } catch {
      present = false;
    }
    if (!present && existsSync(join(root, 'usr', top))) symlinkSync(join('usr', top), at);
  }
  return fixed;
}

/** cgo build flags that compile and link against the platform, and make the binary run on it. */
export function platformCgoEnv(p: Pick<PlatformInstall, 'root' | 'loader' | 'libDirs'>): Record<string, string> {
  const [usrLib = ''] = p.libDirs.filter((d) => d.includes('/usr/'));
  const search = p.libDirs.flatMap((d) => [`-L${d}`, `-Wl,-rpath-link=${d}`]);
  return {
    CGO_CFLAGS: `--sysroot=${p.root} -O2 -g`,
    // Debian's gcc searches its own directories before the sysroot's: -B and -L put the
    // platform's crt files and libraries first. The interpreter and an RPATH (not RUNPATH, which
    // dlopen of the NSS modules would not honour) make the binary load the platform's glibc.
    CGO_LDFLAGS: [`--sysroot=${p.root}`, `-B${usrLib}`, ...search, `-Wl,--dynamic-linker=${p.loader}`, `-Wl,--disable-new-dtags`, `-Wl,-rpath=${p.libDirs.join(':')}`].join(' '),
  };
}

/** Builds and runs a C program against the platform: it must report the platform's glibc. */
async function selfTest(p: PlatformInstall): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gdh-platform-test-'));
  try {
    writeFileSync(join(dir, 't.c'), '#include <stdio.h>\n#include <netdb.h>\n#include <gnu/libc-version.h>\nint main(void){struct addrinfo *r; int e = getaddrinfo("localhost", 0, 0, &r); printf("glibc %s %d\\n", gnu_get_libc_version(), e); return 0;}\n');
    const env = platformCgoEnv(p);
    const cc = await execa('gcc', [...(env.CGO_CFLAGS as string).split(' '), '-o', join(dir, 't'), join(dir, 't.c'), ...(env.CGO_LDFLAGS as string).split(' ')], { reject: false, timeout: 60_000 });
    if (cc.exitCode !== 0) throw new PlatformError(`${p.name}: a C program does not build against ${p.root}: ${lastLines(cc)}`);
    const run = await execa(join(dir, 't'), [], { reject: false, timeout: 10_000 });
    if (!run.stdout.startsWith(`glibc ${p.glibc} `)) throw new PlatformError(`${p.name}: a program built against it reports ${run.stdout.trim() || run.stderr.trim() || run.shortMessage}, not glibc ${p.glibc}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function findFile(root: string, test: (name: string) => boolean): string | undefined {
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop() as string;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if ((e.isFile() || e.isSymbolicLink()) && test(e.name)) return p;
    }
  }
  return undefined;
}

/** The release's resolved, started through its own loader: its version, or why it does not run here. */
async function describeResolved(root: string, loader: string, libDirs: string[]): Promise<PlatformResolved | { unavailable: string }> {
  const binary = [join(root, 'usr/lib/systemd/systemd-resolved'), join(root, 'lib/systemd/systemd-resolved')].find((b) => existsSync(b));
  const shared = findFile(join(root, 'usr/lib'), (n) => n.startsWith('libsystemd-shared-') && n.endsWith('.so')) ?? (existsSync(join(root, 'lib/systemd')) ? findFile(join(root, 'lib/systemd'), (n) => n.startsWith('libsystemd-shared-')) : undefined);
  const nssResolve = findFile(root, (n) => n === 'libnss_resolve.so.2');
  if (!binary || !shared || !nssResolve) return { unavailable: `the unpack has no ${!binary ? 'systemd-resolved binary' : !shared ? 'libsystemd-shared' : 'libnss_resolve.so.2'}` };
  const libPath = [...libDirs, dirname(shared)];
  const r = await execa(loader, ['--library-path', libPath.join(':'), binary, '--version'], { reject: false, timeout: 10_000 });
  if (r.exitCode !== 0) return { unavailable: `${binary} --version on the platform's loader failed: ${lastLines(r)}` };
  return { version: r.stdout.split('\n')[0]?.trim() ?? '', binary, libPath, nssResolve };
}

/**
 * Fetches one platform into the cache (reusing a complete unpack unless `force`): the release's
 * libc6 with what builds against it, its NSS modules, and its systemd-resolved with every library
 * it needs, then checks a program built against it runs on it. Resolved that does not run is
 * recorded with the reason (its cells are skipped with it), not an error.
 */
export async function fetchPlatform(name: string, opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<PlatformInstall> {
  const spec = platformSpec(name);
  const log = opts.log ?? (() => {});
  const have = readPlatform(name);
  if (!opts.force && !('unavailable' in have)) return have;
  if (readOsRelease().id !== 'debian') throw new PlatformError(`platform ${name} comes from Debian's archive (${spec.suite}), and this machine's apt is configured for ${readOsRelease().id || 'an unknown distribution'}; run the platform axis on a Debian machine`);
  const apt = platformApt(spec);
  try {
    await updatePrivateApt(false, log, apt);
  } catch (err) {
    throw new PlatformError(`platform ${name} cannot be provisioned: ${(err as Error).message}`, { cause: err });
  }
  const libcPackage = await candidate(`libc6`, apt);
  if (!libcPackage) throw new PlatformError(`platform ${name}: the archive serves no libc6 for ${spec.suite} (is ${spec.suite} still on this machine's mirror?)`);
  // Up to bullseye the daemon ships in `systemd`; later in its own package.
  const daemon = (await candidate('systemd-resolved', apt)) ? 'systemd-resolved' : 'systemd';
  // Recommends are installed by default: the NSS modules among them edit nsswitch.conf.
  const nssDefaults = (await field(daemon, 'Recommends', apt) ?? '').split(',').map((d) => d.trim().split(/\s/)[0] as string).filter((d) => d.startsWith('libnss-'));
  const optional = [];
  for (const p of ['libnss-myhostname', 'libnss-resolve', 'netbase']) if (await candidate(p, apt)) optional.push(p);
  const closure = await libraryClosure([daemon, 'libnss-resolve', 'libc6'], apt);
  // libc-bin and systemd carry the default nsswitch.conf and the stub resolv.conf (platform-defaults.ts).
  const packages = [...new Set(['libc6', 'libc6-dev', 'libc-dev-bin', 'linux-libc-dev', 'libgcc-s1', 'libc-bin', 'systemd', daemon, ...optional, ...closure])];
  const root = join(platformsDir(), name);
  log(`fetching ${name} (${spec.suite}, glibc ${libcPackage}): ${packages.length} packages`);
  try {
    await downloadAndUnpack(packages, root, apt, { keepControl: true });
  } catch (err) {
    throw new PlatformError(`fetching platform ${name} failed: ${lastLines(err)}`, { cause: err });
  }
  relocateLinks(root);
  const m = machine();
  const loader = join(root, m.loader);
  if (!existsSync(loader)) throw new PlatformError(`platform ${name}: the unpack has no loader at ${m.loader}; the ${arch()} architecture may not be supported`);
  const libDirs = [join(root, 'lib', m.triplet), join(root, 'usr/lib', m.triplet)];
  const install: PlatformInstall = { ...spec, root, glibc: upstreamVersion(libcPackage).replace(/\+.*$/, ''), libcPackage, loader, libDirs, resolved: await describeResolved(root, loader, libDirs), nssDefaults };
  await selfTest(install);
  // Written last: an unpack without it is not taken as fetched.
  writeFileSync(manifestOf(root), `${JSON.stringify({ layout: LAYOUT, ...install, packages }, null, 1)}\n`);
  return install;
}

/**
 * The platforms a run's cells need, by name: each fetched one, else fetched now (when `fetch`), else
 * the reason it cannot be had, so its cells are skipped with it.
 */
export async function platformsForRun(names: string[], fetch: boolean, log?: (s: string) => void): Promise<Map<string, PlatformInstall | { unavailable: string }>> {
  const out = new Map<string, PlatformInstall | { unavailable: string }>();
  for (const name of names) {
    if (name === HOST_PLATFORM) continue;
    const have = readPlatform(name);
    if (!('unavailable' in have) || !fetch) {
      out.set(name, have);
      continue;
    }
    try {
      out.set(name, await fetchPlatform(name, log ? { log } : {}));
    } catch (err) {
      out.set(name, { unavailable: (err as Error).message });
    }
  }
  return out;
}

/** The platform's systemd-resolved as the real stub runs it, or why it cannot. */
export function platformResolvedInstall(p: PlatformInstall): ResolvedInstall | { unavailable: string } {
  if ('unavailable' in p.resolved) return { unavailable: `${p.name}'s systemd-resolved: ${p.resolved.unavailable}` };
  return { version: p.resolved.version, root: p.root, binary: p.resolved.binary, libDir: p.resolved.libPath.join(':'), nssResolve: p.resolved.nssResolve, loader: p.loader };
}
