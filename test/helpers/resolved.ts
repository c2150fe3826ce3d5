import type { Test } from 'tap';
import { resolvedForRun, type ResolvedInstall } from '../../src/provision/resolved.js';

/**
 * The archive's systemd-resolved, provisioned (fetched once into the cache). Without it the
 * calling test is skipped with the reason, except where GDH_REQUIRE_RESOLVED=1 (CI), where its
 * absence fails the test.
 */
export async function resolvedOrSkip(t: Test): Promise<ResolvedInstall | null> {
  const r = await resolvedForRun(true);
  if (!('unavailable' in r)) return r;
  const why = `needs systemd-resolved from the archive: ${r.unavailable}`;
  if (process.env.GDH_REQUIRE_RESOLVED === '1') t.fail(why);
  else t.skip(why, () => {});
  return null;
}
