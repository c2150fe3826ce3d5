import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { HarnessError, type HarnessErrorOptions } from '../errors.js';
import { aptStateDir } from '../paths.js';
import { DEBIAN_TOOLCHAIN_SUITES, readAptSources, readOsRelease, toolchainSourcesList } from './apt-sources.js';

/** apt itself failed on the private state (its lists could not be updated): the machine's archive, not the caller's package. */
export class AptError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_APT', message, options);
  }
}

/** How old the private package lists may get before `fetch` refreshes them. */
const LISTS_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * A private apt state: its directory, and the Debian suites its sources list names (elsewhere the
 * machine's own suites). Toolchains have theirs; musl, which needs sid, has its own, so adding sid
 * never changes which Go a toolchain fetch gets.
 */
export interface PrivateApt {
  dir: string;
  debianSuites: string[];
  /**
   * dpkg's status file apt takes as installed (default the machine's): another release's state
   * uses an empty one, or apt would pick this machine's installed versions, which that release's
   * archive does not serve.
   */
  status?: string;
}

export const toolchainApt = (): PrivateApt => ({ dir: aptStateDir(), debianSuites: DEBIAN_TOOLCHAIN_SUITES });

/** Where downloadAndUnpack keeps each package's control files (postinst, ...) when asked to. */
export const CONTROL_DIR = '.gdh-control';

/** apt-get options that use a private apt state (sources, lists, cache) and no lock. */
export function aptOptions(apt: PrivateApt = toolchainApt()): string[] {
  const dir = apt.dir;
  return [
    '-o', `Dir::Etc::SourceList=${join(dir, 'sources.list')}`,
    '-o', `Dir::Etc::SourceParts=${join(dir, 'sources.list.d')}`,
    '-o', `Dir::State::Lists=${join(dir, 'lists')}`,
    '-o', `Dir::Cache=${join(dir, 'cache')}`,
    '-o', `Dir::State::status=${apt.status ?? '/var/lib/dpkg/status'}`,
    '-o', 'Debug::NoLocking=1',
    // apt drops to the _apt user for downloads, which cannot write into a private cache dir.
    '-o', 'APT::Sandbox::User=root',
  ];
}

/** Writes the private sources list and refreshes the private package lists when stale. */
export async function updatePrivateApt(force = false, log: (s: string) => void = () => {}, apt: PrivateApt = toolchainApt()): Promise<void> {
  const dir = apt.dir;
  for (const d of ['lists/partial', 'cache/archives/partial', 'sources.list.d']) mkdirSync(join(dir, d), { recursive: true });
  if (apt.status && !existsSync(apt.status)) writeFileSync(apt.status, '');
  const list = toolchainSourcesList(readAptSources(), readOsRelease(), apt.debianSuites);
  writeFileSync(join(dir, 'sources.list'), list);
  const stamp = join(dir, 'lists', 'updated');
  const fresh = existsSync(stamp) && Date.now() - statSync(stamp).mtimeMs < LISTS_MAX_AGE_MS;
  if (fresh && !force) return;
  log(`updating private package lists (${list.trim().split('\n').length} sources)`);
  try {
    await execa('apt-get', [...aptOptions(apt), '-q', 'update'], { timeout: 300_000 });
  } catch (err) {
    throw new AptError(`apt-get update with the private sources list failed: ${lastLines(err)}`, { cause: err });
  }
  writeFileSync(stamp, new Date().toISOString());
}

export function lastLines(err: unknown): string {
  const e = err as { stderr?: string; shortMessage?: string; message: string };
  return (e.stderr || e.shortMessage || e.message).trim().split('\n').slice(-3).join(' | ');
}

/**
 * `apt-get download`s the packages through the private apt state and unpacks them with
 * `dpkg-deb -x` into `root`, replacing it only once everything is unpacked (a failed or
 * interrupted fetch leaves no half-filled `root`). Errors are apt's or dpkg's, for the caller to word.
 */
export async function downloadAndUnpack(packages: string[], root: string, apt: PrivateApt = toolchainApt(), opts: { keepControl?: boolean } = {}): Promise<void> {
  const work = `${root}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'debs'), { recursive: true });
  try {
    await execa('apt-get', [...aptOptions(apt), '-q', 'download', ...packages], { cwd: join(work, 'debs'), timeout: 900_000 });
    for (const deb of readdirSync(join(work, 'debs'))) {
      await execa('dpkg-deb', ['-x', join(work, 'debs', deb), join(work, 'root')], { timeout: 300_000 });
      // The maintainer scripts say what an installation writes beyond the package's files.
      if (opts.keepControl) mkdirSync(join(work, 'root', CONTROL_DIR), { recursive: true });
      if (opts.keepControl) await execa('dpkg-deb', ['-e', join(work, 'debs', deb), join(work, 'root', CONTROL_DIR, deb.replace(/_.*$/, ''))], { timeout: 60_000 });
    }
    rmSync(root, { recursive: true, force: true });
    renameSync(join(work, 'root'), root);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

