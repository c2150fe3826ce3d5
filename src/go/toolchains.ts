import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { HarnessError, UsageError, type HarnessErrorOptions } from '../errors.js';
import { cacheDir, toolchainsDir } from '../paths.js';

export interface Toolchain {
  /** As `go version` says it, e.g. go1.27.4. */
  version: string;
  /** 27 for go1.27.4. */
  minor: number;
  goroot: string;
  /** The go binary. */
  go: string;
  /**
   * Where it was found: path, system (/usr/lib/go-*), local (/usr/local/go), sdk (~/sdk), cache
   * (fetched), given (--go); binary: the Go that built a --program binary, not found here (no goroot).
   */
  source: 'path' | 'system' | 'local' | 'sdk' | 'cache' | 'given' | 'binary';
  goos: string;
  goarch: string;
  /** The toolchain's default CGO_ENABLED here (0 when no C compiler is found). */
  cgoDefault: string;
  cc: string;
}

export class ToolchainError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_TOOLCHAIN', message, options);
  }
}

/** A toolchain that works did not build the probe: the compiler's output is the long message. */
export class ProbeBuildError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_PROBE_BUILD', message, options);
  }
}

/**
 * The Go that built a --program binary, when no toolchain here is that version: its version only
 * (no goroot, no go binary), with the machine's target and compiler facts from a toolchain that is.
 */
export function binaryToolchain(here: Toolchain | undefined, version: string, minor: number): Toolchain {
  return { goos: 'linux', goarch: 'amd64', cgoDefault: '1', cc: 'gcc', ...here, version, minor, goroot: '', go: '', source: 'binary' };
}

/** The environment every go invocation gets: its own GOROOT, never a downloaded toolchain. */
export function goEnv(tc: Pick<Toolchain, 'goroot'>, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    GOROOT: tc.goroot,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '',
    // Keep the build cache in the harness cache, so builds work with any HOME (or none).
    GOCACHE: join(cacheDir(), 'gocache'),
    GOPATH: join(cacheDir(), 'gopath'),
    ...extra,
  };
}

/** Runs `go version` and `go env -json` for a go binary. */
export async function identify(goBin: string, source: Toolchain['source']): Promise<Toolchain> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), GOTOOLCHAIN: 'local' };
  delete env.GOROOT;
  let version: string;
  let goEnvJson: Record<string, string>;
  try {
    const v = await execa(goBin, ['version'], { env, extendEnv: false, timeout: 30_000 });
    version = /go version (go\S+)/.exec(v.stdout)?.[1] ?? '';
    const e = await execa(goBin, ['env', '-json'], { env, extendEnv: false, timeout: 30_000 });
    goEnvJson = JSON.parse(e.stdout) as Record<string, string>;
  } catch (err) {
    throw new ToolchainError(`${goBin} does not work as a Go toolchain: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const minor = Number(/^go1\.(\d+)/.exec(version)?.[1] ?? NaN);
  if (!version || Number.isNaN(minor)) throw new ToolchainError(`${goBin}: cannot read the Go version from "go version"`);
  return {
    version,
    minor,
    goroot: goEnvJson.GOROOT ?? '',
    go: goBin,
    source,
    goos: goEnvJson.GOOS ?? '',
    goarch: goEnvJson.GOARCH ?? '',
    cgoDefault: goEnvJson.CGO_ENABLED ?? '',
    cc: goEnvJson.CC ?? '',
  };
}

function globDirs(parent: string, re: RegExp): string[] {
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .filter((n) => re.test(n))
    .map((n) => join(parent, n));
}

/** Resolves a --go value: a GOROOT, a go binary, or a version like 1.22 among what was found. */
export async function resolveGiven(value: string, found: Toolchain[], what = `--go ${value}`): Promise<Toolchain> {
  const byVersion = found.filter((t) => t.version === value || t.version === `go${value}` || `1.${t.minor}` === value || `go1.${t.minor}` === value);
  if (byVersion.length > 0) return byVersion[0] as Toolchain;
  const candidates = [join(value, 'bin/go'), value];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isFile()) {
      // A path the user gave that is not a working Go is theirs to fix (exit 2), not the machine's.
      return identify(c, 'given').catch((err: unknown) => {
        throw new UsageError(`${what}: ${(err as Error).message}`, { cause: err });
      });
    }
  }
  // Naming a Go this machine does not have is the user's to fix (exit 2), with the command that does.
  throw new UsageError(
    `${what}: not a Go version that was found (${found.map((t) => t.version).join(', ') || 'none'}), nor a GOROOT or go binary; ` +
      `fetch it with "go-dns-harness toolchains fetch ${value.replace(/^go/, '')}"`,
  );
}

/**
 * Finds Go toolchains: go on PATH, /usr/lib/go-*, /usr/local/go, ~/sdk/go*, and the ones fetched
 * into the harness cache. Each is identified by running it; duplicates (the same GOROOT reached
 * twice) are dropped; the result is sorted by version.
 */
export async function discoverToolchains(): Promise<Toolchain[]> {
  const candidates: Array<[string, Toolchain['source']]> = [];
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'go'))) candidates.push([join(dir, 'go'), 'path']);
  for (const d of globDirs('/usr/lib', /^go-1\.\d+$/)) candidates.push([join(d, 'bin/go'), 'system']);
  candidates.push(['/usr/local/go/bin/go', 'local']);
  for (const d of globDirs(join(homedir(), 'sdk'), /^go1\.\d+/)) candidates.push([join(d, 'bin/go'), 'sdk']);
  for (const d of globDirs(toolchainsDir(), /^go-1\.\d+$/)) {
    for (const inner of globDirs(join(d, 'usr/lib'), /^go-1\.\d+$/)) candidates.push([join(inner, 'bin/go'), 'cache']);
  }
  const seen = new Set<string>();
  const found: Toolchain[] = [];
  for (const [bin, source] of candidates) {
    if (!existsSync(bin)) continue;
    let key: string;
    try {
      key = realpathSync(bin);
    } catch {
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const tc = await identify(bin, source);
      const rootKey = realpathSync(tc.goroot || bin);
      if (seen.has(`root:${rootKey}`)) continue;
      seen.add(`root:${rootKey}`);
      found.push(tc);
    } catch {
      // A broken go binary on PATH is not ours to fix; `toolchains list` shows what works.
    }
  }
  return found.sort((a, b) => a.minor - b.minor || a.version.localeCompare(b.version, undefined, { numeric: true }));
}
