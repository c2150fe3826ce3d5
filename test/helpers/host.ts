/** Snapshots of what the harness must never change on the host. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';

const FILES = ['/etc/resolv.conf', '/etc/nsswitch.conf', '/etc/hosts'];

export interface HostState {
  files: Record<string, string>;
  mounts: string;
}

export function hostState(): HostState {
  const files: Record<string, string> = {};
  for (const f of FILES) {
    const paths = existsSync(f) ? [f, realpathSync(f)] : [f];
    for (const p of paths) files[p] = existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent';
  }
  return { files, mounts: readFileSync('/proc/self/mountinfo', 'utf8') };
}

/** Processes whose argv is exactly `argv` (the program may be given by path). */
export function processesRunning(argv: string[]): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const got = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').slice(0, -1);
      if (got.length === argv.length && got.every((a, i) => (i === 0 ? a === argv[0] || a.endsWith(`/${argv[0]}`) : a === argv[i]))) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export function sandboxDirsOf(pid: number): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`gdh-sandbox-${pid}-`));
}

export async function waitFor(cond: () => boolean, ms: number, step = 50): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, step));
  }
  return cond();
}
