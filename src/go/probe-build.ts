import type { MuslInstall } from '../provision/musl.js';
import { platformCgoEnv, type PlatformInstall } from '../provision/platform.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { mapPool } from '../pool.js';
import { packageRoot, probeCacheDir } from '../paths.js';
import { ConfigError } from '../errors.js';
import { ProbeBuildError, goEnv, type Toolchain } from './toolchains.js';

export interface ProbeSpec {
  toolchain: Toolchain;
  cgo: '0' | '1';
  /** Build tags, e.g. ['netgo'] or ['netcgo']. */
  tags: string[];
  /** The go.mod `go` line: with 1.18 or lower, Go 1.21+ stops sending EDNS0 (GODEBUG defaults). */
  goModGo: string;
  /** cgo against this musl instead of the system's glibc: built statically with its musl-gcc. */
  musl?: MuslInstall;
  /** cgo against another Debian release's glibc: built with its headers and libraries, run on its loader. */
  platform?: PlatformInstall;
}

export interface ProbeBinary {
  spec: ProbeSpec;
  path: string;
  /** The content-addressed cache key: every input of the build. */
  key: string;
  /** True when this call built it; false when it came from the cache. */
  built: boolean;
}

export interface ProbeSkip {
  spec: ProbeSpec;
  skipped: string;
}

/** The go line of go-probe/go.mod: the go.mod axis's plain point (a test holds the two together). */
export const DEFAULT_GO_MOD_GO = '1.19';
const PROBE_SOURCES = ['main.go', 'libc_cgo.go', 'libc_nocgo.go'];

function probeSource(): Record<string, string> {
  const dir = join(packageRoot(), 'go-probe');
  return Object.fromEntries(PROBE_SOURCES.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** Hashes everything the binary depends on; the same key means the same binary. */
export function probeKey(spec: ProbeSpec, sources = probeSource()): string {
  const goStat = statSync(spec.toolchain.go);
  const h = createHash('sha256');
  h.update(JSON.stringify({
    sources,
    version: spec.toolchain.version,
    goroot: spec.toolchain.goroot,
    go: [spec.toolchain.go, goStat.size, goStat.mtimeMs],
    target: [spec.toolchain.goos, spec.toolchain.goarch],
    cgo: spec.cgo,
    cc: spec.cgo === '1' ? spec.toolchain.cc : '',
    tags: [...spec.tags].sort(),
    goModGo: spec.goModGo,
    musl: spec.musl ? [spec.musl.name, spec.musl.packageVersion, spec.musl.root] : null,
    platform: spec.platform ? [spec.platform.name, spec.platform.libcPackage, spec.platform.root] : null,
    format: 1,
  }));
  return h.digest('hex').slice(0, 24);
}

/** The settings a Go build is made for: the probe's, and a user's program's. */
export interface BuildSettings {
  toolchain: Toolchain;
  cgo: '0' | '1';
  tags: string[];
  musl?: MuslInstall;
  platform?: PlatformInstall;
}

/** The `go build` of the package in the working directory for these settings, into `out`: its arguments and environment. */
export function goBuild(spec: BuildSettings, out: string, extraEnv: Record<string, string> = {}): { args: string[]; env: Record<string, string> } {
  const args = ['build', '-trimpath', '-buildvcs=false', '-o', out];
  if (spec.tags.length > 0) args.push(`-tags=${spec.tags.join(',')}`);
  // musl: one static binary, so it runs anywhere without musl's dynamic loader installed.
  if (spec.musl) args.push('-ldflags=-linkmode external -extldflags -static');
  // The platform's flags reach the linker only when Go links externally.
  if (spec.platform) args.push('-ldflags=-linkmode external');
  args.push('.');
  const env = goEnv(spec.toolchain, { CGO_ENABLED: spec.cgo, ...extraEnv, ...(spec.musl ? { CC: spec.musl.gcc } : {}), ...(spec.platform ? platformCgoEnv(spec.platform) : {}) });
  return { args, env };
}

const ccChecks = new Map<string, Promise<string | null>>();

/** null when the C compiler answers, else why cgo builds cannot be made here. */
export function cCompilerProblem(cc = 'gcc'): Promise<string | null> {
  let check = ccChecks.get(cc);
  if (!check) {
    check = execa(cc, ['--version'], { reject: false, timeout: 10_000 }).then((r) =>
      r.exitCode === 0
        ? null
        : `CGO_ENABLED=1 needs a C compiler and "${cc}" does not run here (${r.code === 'ENOENT' ? 'not found' : (r.shortMessage ?? r.exitCode)}); install one (apt-get install gcc libc6-dev)`,
    );
    ccChecks.set(cc, check);
  }
  return check;
}

/** Builds the probe for one spec, or returns the cached binary. */
export async function buildProbe(spec: ProbeSpec): Promise<ProbeBinary | ProbeSkip> {
  if (!/^1\.\d+(\.\d+)?$/.test(spec.goModGo)) throw new ConfigError('goModGo', spec.goModGo, 'the go.mod go line is a Go version like 1.19');
  if (spec.platform && (spec.cgo !== '1' || spec.musl)) throw new ConfigError('platform', spec.platform.name, 'a platform build is a cgo build against that platform\'s glibc (CGO_ENABLED=1, no musl)');
  if (spec.musl && spec.cgo !== '1') throw new ConfigError('musl', spec.musl.name, `a musl build is a cgo build; with CGO_ENABLED=${spec.cgo} it makes no sense`);
  if (spec.cgo === '1') {
    const problem = await cCompilerProblem(spec.toolchain.cc || 'gcc');
    if (problem) return { spec, skipped: problem };
  }
  const sources = probeSource();
  const key = probeKey(spec, sources);
  const dir = join(probeCacheDir(), key);
  const bin = join(dir, 'probe');
  if (existsSync(bin)) return { spec, path: bin, key, built: false };

  const work = mkdtempSync(join(tmpdir(), 'gdh-probe-build-'));
  try {
    for (const [f, text] of Object.entries(sources)) writeFileSync(join(work, f), text);
    writeFileSync(join(work, 'go.mod'), `module go-dns-harness/probe\n\ngo ${spec.goModGo}\n`);
    const { args, env } = goBuild(spec, join(work, 'probe'));
    const r = await execa(spec.toolchain.go, args, { cwd: work, env, extendEnv: false, reject: false, timeout: 600_000 });
    if (r.exitCode !== 0 && spec.musl) return { spec, skipped: `building the probe with ${spec.toolchain.version} against ${spec.musl.name} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}` };
    if (r.exitCode !== 0 && spec.platform) return { spec, skipped: `building the probe with ${spec.toolchain.version} against ${spec.platform.name}'s glibc ${spec.platform.glibc} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}; fetch it again with: go-dns-harness platform fetch ${spec.platform.name} --force` };
    if (r.exitCode !== 0) {
      throw new ProbeBuildError(`building the probe with ${spec.toolchain.version} (CGO_ENABLED=${spec.cgo}, tags=${spec.tags.join(',') || 'none'}, go ${spec.goModGo}) failed`, { detail: (r.stderr || r.stdout).trim() });
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'build.json'), JSON.stringify({ version: spec.toolchain.version, goroot: spec.toolchain.goroot, cgo: spec.cgo, tags: spec.tags, goModGo: spec.goModGo, musl: spec.musl?.name ?? null, platform: spec.platform?.name ?? null }, null, 2));
    // Rename last, so a half-written binary is never taken from the cache.
    renameSync(join(work, 'probe'), bin);
    return { spec, path: bin, key, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Builds many probes, `jobs` at a time. */
export async function buildProbes(specs: ProbeSpec[], jobs = 2): Promise<Array<ProbeBinary | ProbeSkip>> {
  return mapPool(specs, jobs, buildProbe);
}

export const isSkip = (p: ProbeBinary | ProbeSkip): p is ProbeSkip => 'skipped' in p;
