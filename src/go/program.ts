/**
 * What `run --program PATH` names: a Go main package in a module (built per toolchain and
 * setting, src/go/program-build.ts) or a prebuilt executable (run as it is); anything else is an
 * error that says what would do.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { HarnessError, type HarnessErrorOptions } from '../errors.js';

/** A Go main package: built once per toolchain and build setting. */
export interface ProgramPackage {
  kind: 'package';
  /** The path as the user gave it. */
  given: string;
  /** The package's directory (absolute). */
  dir: string;
  /** Where its go.mod is, and what that says. */
  moduleRoot: string;
  modulePath: string;
  /** The go.mod `go` line, e.g. "1.22" (null when it has none). */
  goLine: string | null;
  /** A vendor/ directory with modules.txt: built with -mod=vendor. */
  vendored: boolean;
  /** The name the binary gets: the package directory's. */
  name: string;
}

/** A prebuilt executable: the build axes do not apply to it. */
export interface ProgramExecutable {
  kind: 'binary';
  given: string;
  path: string;
  sha256: string;
  name: string;
}

export type Program = ProgramPackage | ProgramExecutable;

/** The --program path is neither a Go main package nor an executable file. */
export class ProgramError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_PROGRAM', message, options);
  }
}

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

function startsWithElf(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(ELF_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** The package clause of the first non-test Go file that has one: what `go build` would build. */
function packageName(dir: string, goFiles: string[]): string | undefined {
  for (const f of goFiles) {
    const m = /^\s*package\s+([A-Za-z_]\w*)/m.exec(readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ''));
    if (m) return m[1];
  }
  return undefined;
}

function findModuleRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'go.mod'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** What PATH names: a main package in a module, or an ELF executable; anything else is a ProgramError saying what would do. */
export function resolveProgram(given: string): Program {
  const abs = resolve(given);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new ProgramError(`--program ${given}: no such file or directory; give a Go main package's directory or an executable`);
  }
  if (st.isFile()) {
    if (abs.endsWith('.go')) throw new ProgramError(`--program ${given}: a Go file; give its package's directory (${dirname(given) || '.'}), which the harness builds per toolchain and setting`);
    if (!startsWithElf(abs)) throw new ProgramError(`--program ${given}: not an executable (ELF) file and not a directory; give a Go main package's directory or a built binary`);
    if ((st.mode & 0o111) === 0) throw new ProgramError(`--program ${given}: an ELF file that is not executable; chmod +x it`);
    return { kind: 'binary', given, path: abs, sha256: createHash('sha256').update(readFileSync(abs)).digest('hex'), name: basename(abs) };
  }
  if (!st.isDirectory()) throw new ProgramError(`--program ${given}: neither a directory nor a regular file`);
  const goFiles = readdirSync(abs).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).sort();
  if (goFiles.length === 0) throw new ProgramError(`--program ${given}: no Go files (other than tests) in ${abs}; give the directory of a main package`);
  const pkg = packageName(abs, goFiles);
  if (pkg !== 'main') throw new ProgramError(`--program ${given}: package ${pkg ?? '(none found)'}, not a main package; give the directory of a command (package main)`);
  const moduleRoot = findModuleRoot(abs);
  if (!moduleRoot) throw new ProgramError(`--program ${given}: no go.mod in ${abs} or above; the harness builds in module mode: run \`go mod init NAME\` there`);
  const gomod = readFileSync(join(moduleRoot, 'go.mod'), 'utf8');
  const modulePath = /^\s*module\s+"?([^\s"]+)"?/m.exec(gomod)?.[1];
  if (!modulePath) throw new ProgramError(`--program ${given}: ${join(moduleRoot, 'go.mod')} has no module line`);
  return {
    kind: 'package',
    given,
    dir: abs,
    moduleRoot,
    modulePath,
    goLine: /^\s*go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(gomod)?.[1] ?? null,
    vendored: existsSync(join(moduleRoot, 'vendor', 'modules.txt')),
    name: basename(abs),
  };
}

/** What a built binary says of its own build: the Go that built it, CGO_ENABLED and its tags. */
export interface BinaryBuildInfo {
  go: string;
  minor: number;
  cgo: '0' | '1';
  /** Comma-separated, as -tags took them ('' for none). */
  tags: string;
}

/** A Go binary's build info (`go version -m`, read with any toolchain); a file without one is a ProgramError. */
export async function binaryBuildInfo(bin: ProgramExecutable, goBin: string, env: Record<string, string>): Promise<BinaryBuildInfo> {
  const r = await execa(goBin, ['version', '-m', bin.path], { env, extendEnv: false, reject: false, timeout: 30_000 });
  const go = new RegExp(`^${bin.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (go1\\.(\\d+)\\S*)`, 'm').exec(r.stdout);
  if (r.exitCode !== 0 || !go) throw new ProgramError(`--program ${bin.given}: not a Go binary (go version -m finds no build info in it: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}); the matrix runs Go programs`);
  const setting = (k: string) => new RegExp(`^\\s*build\\s+${k}=(.*)$`, 'm').exec(r.stdout)?.[1]?.trim();
  return { go: go[1] as string, minor: Number(go[2]), cgo: setting('CGO_ENABLED') === '1' ? '1' : '0', tags: setting('-tags') ?? '' };
}
