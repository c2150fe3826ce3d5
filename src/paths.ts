import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the harness keeps what it downloads and builds: $GDH_CACHE_DIR, else the XDG cache. */
export function cacheDir(): string {
  if (process.env.GDH_CACHE_DIR) return process.env.GDH_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'go-dns-harness');
}

export const toolchainsDir = (): string => join(cacheDir(), 'toolchains');
export const aptStateDir = (): string => join(cacheDir(), 'apt');
export const probeCacheDir = (): string => join(cacheDir(), 'probes');

/** The package's own root (where package.json, go-probe/ and scenarios/ are). */
export const packageRoot = (): string => new URL('..', import.meta.url).pathname;
