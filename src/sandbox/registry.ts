import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * What this process has open outside itself: sandbox workers and host temp dirs. On SIGINT or
 * SIGTERM (see `cleanUpOnSignals`) and at exit, workers are killed (their namespaces, mounts and
 * processes go with them) and the temp dirs removed.
 */
const children = new Set<ChildProcess>();
const dirs = new Set<string>();

let exitHook = false;

export function track(x: ChildProcess | string): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', cleanUpNow);
  }
  if (typeof x === 'string') dirs.add(x);
  else children.add(x);
}

export function untrack(x: ChildProcess | string): void {
  if (typeof x === 'string') dirs.delete(x);
  else children.delete(x);
}

export function cleanUpNow(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

let installed = false;

/** For programs (the CLI): on SIGINT/SIGTERM clean up, then exit 130/143 as a shell expects. */
export function cleanUpOnSignals(): void {
  if (installed) return;
  installed = true;
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(sig, () => {
      cleanUpNow();
      process.exit(code);
    });
  }
}
