/**
 * A user's Go main package (`run --program DIR`), built per toolchain and build setting as the
 * probe is: cached by content, offline, and never writing to the user's tree.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { mapPool } from '../pool.js';
import { HarnessError, type HarnessErrorOptions } from '../errors.js';
import { cacheDir } from '../paths.js';
import { cCompilerProblem, goBuild, type BuildSettings } from './probe-build.js';
import type { ProgramPackage } from './program.js';

/** The program needs modules that are neither in the module cache nor in vendor/ (the harness never downloads). */
export class ProgramModulesError extends HarnessError {
  readonly modules: string[];
  constructor(message: string, modules: string[], options?: HarnessErrorOptions) {
    super('GDH_PROGRAM_MODULES', message, options);
    this.modules = modules;
  }
}

/** The program does not compile with a toolchain that works; the compiler's output says why. */
export class ProgramBuildError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_PROGRAM_BUILD', message, options);
  }
}

/** Directories a build never reads (VCS data, other ecosystems' trees, Go's own ignored names). */
const SKIP_DIR = /^(\.|_)|^(node_modules|testdata)$/;
/** Past this many files the tree is not hashed, and go's own cache alone decides (it is content-addressed too). */
const HASH_LIMIT = { files: 20_000, bytes: 256 * 1024 * 1024 };

/** A hash of every file a build of the module could read, or null when the tree is too large to hash. */
export function moduleTreeHash(root: string): string | null {
  const h = createHash('sha256');
  let files = 0;
  let bytes = 0;
  const walk = (dir: string): boolean => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIR.test(e.name) && !walk(p)) return false;
      } else if (e.isFile()) {
        const body = readFileSync(p);
        files++;
        bytes += body.length;
        if (files > HASH_LIMIT.files || bytes > HASH_LIMIT.bytes) return false;
        h.update(`${relative(root, p)}\0${body.length}\0`).update(body);
      }
    }
    return true;
  };
  return walk(root) ? h.digest('hex') : null;
}

export interface ProgramSpec extends BuildSettings {
  program: ProgramPackage;
}

export interface ProgramBinary {
  spec: ProgramSpec;
  path: string;
  /** Content key of the build (null when the tree was too large to hash: built every time, from go's cache). */
  key: string | null;
  built: boolean;
}

export interface ProgramSkip {
  spec: ProgramSpec;
  skipped: string;
}

/** The user's module cache, as their own go command finds it: the harness reads modules, never fetches them. */
export function userModCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GOMODCACHE) return env.GOMODCACHE;
  const gopath = env.GOPATH?.split(':').find(Boolean) ?? join(homedir(), 'go');
  return join(gopath, 'pkg', 'mod');
}

const programCacheDir = (): string => join(cacheDir(), 'programs');

export function programKey(spec: ProgramSpec, tree: string): string {
  const goStat = statSync(spec.toolchain.go);
  return createHash('sha256').update(JSON.stringify({
    tree,
    dir: relative(spec.program.moduleRoot, spec.program.dir),
    modcache: userModCache(),
    version: spec.toolchain.version,
    go: [spec.toolchain.go, goStat.size, goStat.mtimeMs],
    cgo: spec.cgo,
    cc: spec.cgo === '1' ? spec.toolchain.cc : '',
    tags: [...spec.tags].sort(),
    musl: spec.musl ? [spec.musl.name, spec.musl.packageVersion, spec.musl.root] : null,
    platform: spec.platform ? [spec.platform.name, spec.platform.libcPackage, spec.platform.root] : null,
    format: 1,
  })).digest('hex').slice(0, 24);
}

/** The modules a failed offline build names as missing, from go's own messages. */
export function missingModules(output: string): string[] {
  const found = new Set<string>();
  for (const m of output.matchAll(/(?:^|\s)([\w.-]+\.[\w.-]+(?:\/[^\s@:]+)*)@(v[^\s:]+): (?:module lookup disabled by GOPROXY=off|reading [^\n]*: (?:no such file|file does not exist))/g)) found.add(`${m[1]}@${m[2]}`);
  for (const m of output.matchAll(/missing go\.sum entry for module providing package ([^\s;]+)/g)) found.add(m[1] as string);
  for (const m of output.matchAll(/no required module provides package ([^\s;]+)/g)) found.add(m[1] as string);
  return [...found];
}

/** go.mod's requirements: module path -> version (single lines and blocks). */
export function requirements(gomod: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = gomod.replace(/\/\/[^\n]*/g, '');
  const line = /^\s*([^\s()]+)\s+(v\S+)\s*$/;
  for (const block of text.matchAll(/^\s*require\s*\(([\s\S]*?)\)/gm)) {
    for (const l of (block[1] ?? '').split('\n')) {
      const m = line.exec(l);
      if (m) out.set(m[1] as string, m[2] as string);
    }
  }
  for (const m of text.matchAll(/^\s*require\s+([^\s()]+)\s+(v\S+)\s*$/gm)) out.set(m[1] as string, m[2] as string);
  return out;
}

/** A missing package named by the module that provides it (the longest required path it is in), as module@version. */
export function moduleOf(pkg: string, required: Map<string, string>): string {
  if (pkg.includes('@')) return pkg;
  const mod = [...required.keys()].filter((m) => pkg === m || pkg.startsWith(`${m}/`)).sort((a, b) => b.length - a.length)[0];
  return mod ? `${mod}@${required.get(mod)}` : pkg;
}

/** Why a toolchain cannot build this module at all (its go line is newer): a reason to skip, not an error. */
function tooOld(output: string, spec: ProgramSpec): string | undefined {
  const need = /requires go >= ?([\d.]+)/.exec(output)?.[1] ?? /note: module requires Go ([\d.]+)/.exec(output)?.[1];
  return need ? `${spec.program.name}'s go.mod says go ${need}; ${spec.toolchain.version} cannot build it (toolchains are never downloaded: GOTOOLCHAIN=local)` : undefined;
}

/** Builds the program for one spec (or takes it from the cache), offline and without writing to the user's tree. */
export async function buildProgram(spec: ProgramSpec): Promise<ProgramBinary | ProgramSkip> {
  const p = spec.program;
  if (spec.cgo === '1') {
    const problem = await cCompilerProblem(spec.toolchain.cc || 'gcc');
    if (problem) return { spec, skipped: problem };
  }
  const tree = moduleTreeHash(p.moduleRoot);
  const key = tree === null ? null : programKey(spec, tree);
  // A tree too large to hash is built every time (go's own cache keeps that quick) into one place per spec.
  const dir = join(programCacheDir(), key ?? `uncached-${programKey(spec, 'uncached')}`);
  const bin = join(dir, p.name);
  if (key && existsSync(bin)) return { spec, path: bin, key, built: false };

  mkdirSync(programCacheDir(), { recursive: true });
  const work = mkdtempSync(join(programCacheDir(), '.build-'));
  try {
    // Offline, and the user's go.mod and go.sum are read, never rewritten.
    const { args, env } = goBuild(spec, join(work, p.name), { GOFLAGS: p.vendored ? '-mod=vendor' : '-mod=readonly', GOPROXY: 'off', GOWORK: 'off', GOMODCACHE: userModCache() });
    const r = await execa(spec.toolchain.go, args, { cwd: p.dir, env, extendEnv: false, reject: false, timeout: 600_000 });
    if (r.exitCode !== 0) {
      const out = (r.stderr || r.stdout).trim();
      const old = tooOld(out, spec);
      if (old) return { spec, skipped: old };
      const required = requirements(readFileSync(join(p.moduleRoot, 'go.mod'), 'utf8'));
      const missing = [...new Set(missingModules(out).map((m) => moduleOf(m, required)))];
      if (missing.length) {
        throw new ProgramModulesError(`${p.given} needs ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} neither in the module cache (${userModCache()}) nor in vendor/, and the harness never downloads`, missing, {
          detail: `Fetch them once with network access: cd ${p.moduleRoot} && go mod download (or go mod vendor). go said:\n${out}`,
        });
      }
      const what = `${spec.toolchain.version}, CGO_ENABLED=${spec.cgo}${spec.tags.length ? `, tags ${spec.tags.join(',')}` : ''}${spec.musl ? `, against ${spec.musl.name}` : ''}${spec.platform ? `, against ${spec.platform.name}'s glibc` : ''}`;
      if (spec.musl || spec.platform) return { spec, skipped: `building ${p.name} (${what}) failed: ${out.split('\n').slice(-3).join(' | ')}` };
      throw new ProgramBuildError(`building ${p.given} (${what}) failed`, { detail: out });
    }
    mkdirSync(dir, { recursive: true });
    // Rename last, so a half-written binary is never taken from the cache.
    renameSync(join(work, p.name), bin);
    return { spec, path: bin, key, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Builds the distinct specs, as many at once as there are cores (go's own cache is shared). */
export async function buildPrograms(specs: ProgramSpec[], jobs = availableParallelism()): Promise<Array<ProgramBinary | ProgramSkip>> {
  return mapPool(specs, jobs, buildProgram);
}

export const isProgramSkip = (p: ProgramBinary | ProgramSkip): p is ProgramSkip => 'skipped' in p;
