import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import type { FileMount, MountReport } from './protocol.js';
import { HarnessError } from '../errors.js';

/** Everything here runs inside the sandbox's private mount namespace; the host never sees it. */

async function mount(args: string[]): Promise<void> {
  await execa('mount', args, { timeout: 10_000 });
}

/** Follows a chain of symlinks to the final path, without requiring that it exists. */
export function finalTarget(path: string): string {
  let p = path;
  for (let i = 0; i < 40; i++) {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new HarnessError('GDH_SANDBOX_RUN', `${path}: too many levels of symbolic links`);
}

/**
 * Writable views of host directories: an overlay whose upper layer lives on a tmpfs of ours, so
 * files can be created or removed in, say, /etc while the rest of /etc stays visible and the host
 * copy is untouched.
 */
class Overlays {
  private readonly done = new Set<string>();
  private n = 0;
  constructor(private readonly scratch: string) {}

  async writable(dir: string): Promise<void> {
    if (this.done.has(dir)) return;
    const base = join(this.scratch, `overlay-${this.n++}`);
    mkdirSync(join(base, 'upper'), { recursive: true });
    mkdirSync(join(base, 'work'), { recursive: true });
    await mount(['-t', 'overlay', 'gdh-overlay', '-o', `lowerdir=${dir},upperdir=${base}/upper,workdir=${base}/work`, dir]);
    this.done.add(dir);
  }
}

/**
 * Puts each file in place. A file is bind-mounted over its target; over a symlink's final target
 * when the target is a link (Ubuntu's /etc/resolv.conf -> /run/systemd/resolve/stub-resolv.conf);
 * a target that does not exist is first created in an overlay of the nearest existing directory;
 * a file whose source is null is removed, in an overlay, so the program finds none.
 */
export async function mountFiles(files: FileMount[], scratch: string): Promise<MountReport[]> {
  await mount(['-t', 'tmpfs', '-o', 'mode=700', 'gdh-scratch', scratch]);
  // Overlays first, bind mounts last: an overlay mounted later over a directory would hide a bind
  // mount made inside it earlier.
  const plans = files.map((f) => {
    if (f.source === null) {
      const exists = existsSync(f.target) || isLink(f.target);
      return { f, at: f.target, overlay: exists ? dirname(f.target) : null, create: false };
    }
    const at = finalTarget(f.target);
    if (existsSync(at)) {
      if (!statSync(at).isFile()) throw new HarnessError('GDH_SANDBOX_RUN', `${at} is not a regular file; cannot put ${f.target} there`);
      return { f, at, overlay: null, create: false };
    }
    let dir = dirname(at);
    while (!existsSync(dir)) dir = dirname(dir);
    return { f, at, overlay: dir, create: true };
  });
  const overlays = new Overlays(scratch);
  const dirs = [...new Set(plans.map((p) => p.overlay).filter((d): d is string => d !== null))].sort((a, b) => a.length - b.length);
  for (const d of dirs) await overlays.writable(d);
  const out: MountReport[] = [];
  for (const { f, at, overlay, create } of plans) {
    if (f.source === null) {
      if (overlay) rmSync(f.target, { force: true });
      out.push({ target: f.target, mountedAt: f.target, note: overlay ? 'removed inside the sandbox' : 'absent already' });
      continue;
    }
    const notes: string[] = [];
    if (at !== f.target) notes.push(`${f.target} is a symlink to ${at}`);
    if (create) {
      mkdirSync(dirname(at), { recursive: true });
      writeFileSync(at, '');
      notes.push(`${at} did not exist; created in an overlay of ${overlay}`);
    }
    await mount(['--bind', f.source, at]);
    out.push({ target: f.target, mountedAt: at, ...(notes.length ? { note: notes.join('; ') } : {}) });
  }
  return out;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
