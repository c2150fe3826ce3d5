import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { toolchainsDir } from '../paths.js';
import { aptOptions, downloadAndUnpack, lastLines, updatePrivateApt } from './apt.js';
import { ToolchainError, identify, type Toolchain } from '../go/toolchains.js';
import { UsageError } from '../errors.js';

/** Go minors the archive offers, from the private lists: [19, 21, 22, ...]. */
export async function availableMinors(): Promise<number[]> {
  const r = await execa('apt-cache', [...aptOptions(), 'pkgnames', 'golang-1.'], { reject: false });
  const minors = new Set<number>();
  for (const name of r.stdout.split('\n')) {
    const m = /^golang-1\.(\d+)-go$/.exec(name.trim());
    if (m) minors.add(Number(m[1]));
  }
  return [...minors].sort((a, b) => a - b);
}

/** "1.22", "go1.22", "22" -> 22; "newest" resolves against what the archive has. */
export function parseMinor(v: string): number | 'newest' {
  if (v === 'newest' || v === 'latest') return 'newest';
  const m = /^(?:go)?(?:1\.)?(\d+)$/.exec(v.trim());
  if (!m) throw new UsageError(`"${v}" is not a Go version; write it like 1.22 (or "newest")`);
  return Number(m[1]);
}

export const cachedGoroot = (minor: number): string => join(toolchainsDir(), `go-1.${minor}`, 'usr/lib', `go-1.${minor}`);

/**
 * Downloads golang-1.N-go and golang-1.N-src with `apt-get download` and unpacks them with
 * `dpkg-deb -x` into the harness cache. Installs nothing and needs no root; a toolchain already
 * in the cache is reused.
 */
export async function fetchToolchains(versions: string[], opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<Toolchain[]> {
  const log = opts.log ?? (() => {});
  // A misspelt version is the user's to fix, said before apt is asked anything.
  const wanted = versions.map(parseMinor);
  await updatePrivateApt(false, log);
  let available = await availableMinors();
  if (wanted.some((w) => w !== 'newest' && !available.includes(w))) {
    await updatePrivateApt(true, log);
    available = await availableMinors();
  }
  const minors = wanted.map((w) => {
    if (w === 'newest') {
      const newest = available.at(-1);
      if (newest === undefined) throw new ToolchainError('the archive offers no golang-1.N-go package');
      return newest;
    }
    if (!available.includes(w)) {
      throw new ToolchainError(`golang-1.${w}-go is not in the archive reachable from this machine; it offers ${available.map((m) => `1.${m}`).join(', ') || 'none'}`);
    }
    return w;
  });
  const out: Toolchain[] = [];
  for (const minor of [...new Set(minors)]) {
    const root = join(toolchainsDir(), `go-1.${minor}`);
    const goBin = join(cachedGoroot(minor), 'bin/go');
    if (existsSync(goBin) && !opts.force) {
      out.push(await identify(goBin, 'cache'));
      continue;
    }
    log(`fetching golang-1.${minor}-go and golang-1.${minor}-src`);
    try {
      await downloadAndUnpack([`golang-1.${minor}-go`, `golang-1.${minor}-src`], root);
    } catch (err) {
      throw new ToolchainError(`fetching Go 1.${minor} failed: ${lastLines(err)}`, { cause: err });
    }
    out.push(await identify(goBin, 'cache'));
  }
  return out;
}
