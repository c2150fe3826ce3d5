import type { Test } from 'tap';
import { readPlatform, type PlatformInstall } from '../../src/provision/platform.js';

/**
 * Platforms fetched into the cache (`platform fetch`; tests do not fetch them: each is tens of
 * megabytes). Without them the calling test is skipped with the reason, except where
 * GDH_REQUIRE_PLATFORMS=1 (CI), where their absence fails it.
 */
export function platformsOrSkip(t: Test, names: string[]): PlatformInstall[] | null {
  const got = names.map((n) => readPlatform(n));
  const missing = got.flatMap((p) => ('unavailable' in p ? [p.unavailable] : []));
  if (missing.length === 0) return got as PlatformInstall[];
  const why = `needs fetched platforms: ${missing.join('; ')}`;
  if (process.env.GDH_REQUIRE_PLATFORMS === '1') t.fail(why);
  else t.skip(why, () => {});
  return null;
}
