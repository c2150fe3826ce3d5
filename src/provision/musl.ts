/**
 * musl from the distribution archive, beside the system's glibc: `musl`, `musl-dev` and
 * `musl-tools` of each suite that has a different musl, unpacked into the cache with
 * `apt-get download` + `dpkg-deb -x` (no root, nothing installed), and a musl-gcc wrapper whose
 * specs point into the unpack, for static cgo builds of the probe.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { HarnessError } from '../errors.js';
import { aptOptions, downloadAndUnpack, lastLines, updatePrivateApt, type PrivateApt } from './apt.js';
import { readOsRelease } from './apt-sources.js';
import { cacheDir } from '../paths.js';

export class MuslError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GDH_MUSL', message, options);
  }
}

export interface MuslInstall {
  /** Upstream version, e.g. "1.2.3". */
  version: string;
  /** The libc axis value: "musl-1.2.3". */
  name: string;
  /** The Debian package version it came from, e.g. "1.2.3-1". */
  packageVersion: string;
  root: string;
  /** The musl-gcc wrapper (CC for cgo builds). */
  gcc: string;
}

/**
 * On Debian: bookworm (1.2.3), trixie (1.2.5) and sid (1.2.6) between them carry the musl versions
 * either side of 1.2.4, the release that added TCP fallback to the stub resolver. Their own apt
 * state, so sid never reaches the toolchains' package lists.
 */
export const MUSL_DEBIAN_SUITES = ['bookworm', 'trixie', 'sid'];
const PACKAGES = ['musl', 'musl-dev', 'musl-tools'];

export const muslDir = (): string => join(cacheDir(), 'musl');
const muslApt = (): PrivateApt => ({ dir: join(cacheDir(), 'apt-musl'), debianSuites: MUSL_DEBIAN_SUITES });

/** "1.2.3-1" -> "1.2.3"; "1.2.5-1+b1" -> "1.2.5". */
export const upstreamVersion = (pkgVersion: string): string => pkgVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');

/** Compares dotted versions numerically: -1, 0, 1. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The triplet musl's files live under, e.g. x86_64-linux-musl. */
function tripletDir(root: string): string | undefined {
  const lib = join(root, 'usr/lib');
  if (!existsSync(lib)) return undefined;
  return readdirSync(lib).find((d) => d.endsWith('-linux-musl') && existsSync(join(lib, d, 'musl-gcc.specs')));
}

/**
 * The Debian wrapper execs gcc with a specs file naming /usr/lib/<triplet> and
 * /usr/include/<triplet>; both are rewritten to the unpack, and a wrapper of ours uses them.
 */
export function writeWrapper(root: string): string {
  const triplet = tripletDir(root);
  if (!triplet) throw new MuslError(`${root} holds no usr/lib/*-linux-musl/musl-gcc.specs; fetch it again with --force`);
  const specs = readFileSync(join(root, 'usr/lib', triplet, 'musl-gcc.specs'), 'utf8')
    .replaceAll(`/usr/lib/${triplet}`, join(root, 'usr/lib', triplet))
    .replaceAll(`/usr/include/${triplet}`, join(root, 'usr/include', triplet));
  writeFileSync(join(root, 'gdh-musl-gcc.specs'), specs);
  const gcc = join(root, 'gdh-musl-gcc');
  writeFileSync(gcc, `#!/bin/sh\n# musl-gcc for this unpack (written by go-dns-harness)\nexec "\${REALGCC:-gcc}" "$@" -specs "${join(root, 'gdh-musl-gcc.specs')}"\n`, { mode: 0o755 });
  return gcc;
}

function describe(dir: string): MuslInstall | undefined {
  const meta = join(dir, 'gdh-musl.json');
  if (!existsSync(meta) || !existsSync(join(dir, 'gdh-musl-gcc'))) return undefined;
  const m = JSON.parse(readFileSync(meta, 'utf8')) as { version: string; packageVersion: string };
  return { version: m.version, name: `musl-${m.version}`, packageVersion: m.packageVersion, root: dir, gcc: join(dir, 'gdh-musl-gcc') };
}

/** The musl versions unpacked in the cache, oldest first. */
export function discoverMusl(): MuslInstall[] {
  if (!existsSync(muslDir())) return [];
  return readdirSync(muslDir())
    .filter((d) => /^musl-\d+\.\d+\.\d+$/.test(d))
    .map((d) => describe(join(muslDir(), d)))
    .filter((m): m is MuslInstall => m !== undefined)
    .sort((a, b) => compareVersions(a.version, b.version));
}

/** Builds a static C program with the wrapper and runs it: the unpack works, or why not. */
async function selfTest(m: MuslInstall): Promise<void> {
  const dir = join(tmpdir(), `gdh-musl-test-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 't.c'), '#include <stdio.h>\n#include <netdb.h>\nint main(void){struct addrinfo *r; int e = getaddrinfo("localhost", 0, 0, &r); printf("ok %d\\n", e); return 0;}\n');
  const cc = await execa(m.gcc, ['-static', '-o', join(dir, 't'), join(dir, 't.c')], { reject: false, timeout: 60_000 });
  if (cc.exitCode !== 0) throw new MuslError(`${m.name}: a static test program does not build with ${m.gcc}: ${(cc.stderr || cc.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  const run = await execa(join(dir, 't'), [], { reject: false, timeout: 10_000 });
  if (!/^ok /.test(run.stdout)) throw new MuslError(`${m.name}: the static test program does not run: ${run.stderr || run.stdout || run.shortMessage}`);
}

async function candidate(pkg: string, apt: PrivateApt): Promise<string | undefined> {
  const r = await execa('apt-cache', [...aptOptions(apt), 'show', '--no-all-versions', pkg], { reject: false });
  return /^Version: (\S+)$/m.exec(r.stdout)?.[1];
}

/**
 * Fetches each musl the archive offers (on Debian, one per suite of MUSL_DEBIAN_SUITES; elsewhere
 * the machine's candidate), skipping versions already unpacked unless `force`.
 */
export async function fetchMusl(opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<MuslInstall[]> {
  const log = opts.log ?? (() => {});
  const apt = muslApt();
  try {
    await updatePrivateApt(false, log, apt);
  } catch (err) {
    throw new MuslError(`musl cannot be provisioned here: ${(err as Error).message}`, { cause: err });
  }
  const suites = readOsRelease().id === 'debian' ? MUSL_DEBIAN_SUITES : [undefined];
  const out = new Map<string, MuslInstall>();
  for (const suite of suites) {
    const pin = (p: string) => (suite ? `${p}/${suite}` : p);
    const pkgVersion = await candidate(pin('musl-dev'), apt);
    if (!pkgVersion) {
      log(`no musl-dev in ${suite ?? 'the configured suites'}; skipped`);
      continue;
    }
    const version = upstreamVersion(pkgVersion);
    if (out.has(version)) continue;
    const dir = join(muslDir(), `musl-${version}`);
    const have = describe(dir);
    if (have && !opts.force) {
      out.set(version, have);
      continue;
    }
    log(`fetching musl ${pkgVersion}${suite ? ` (${suite})` : ''}`);
    try {
      await downloadAndUnpack(PACKAGES.map(pin), dir, apt);
    } catch (err) {
      throw new MuslError(`fetching musl ${pkgVersion} failed: ${lastLines(err)}`, { cause: err });
    }
    const gcc = writeWrapper(dir);
    const m: MuslInstall = { version, name: `musl-${version}`, packageVersion: pkgVersion, root: dir, gcc };
    await selfTest(m);
    // Written last: an unpack without it is not taken as installed.
    writeFileSync(join(dir, 'gdh-musl.json'), `${JSON.stringify({ version, packageVersion: pkgVersion, suite: suite ?? null }, null, 1)}\n`);
    out.set(version, m);
  }
  return [...out.values()].sort((a, b) => compareVersions(a.version, b.version));
}
