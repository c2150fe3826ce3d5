import type { Test } from 'tap';
import { discoverMusl, fetchMusl, type MuslInstall } from '../../src/provision/musl.js';

/**
 * The archive's musl versions (fetched once into the cache). Without them the calling test is
 * skipped with the reason, except where GDH_REQUIRE_MUSL=1 (CI), where their absence fails it.
 */
export async function muslOrSkip(t: Test): Promise<MuslInstall[] | null> {
  let found = discoverMusl();
  let why = '';
  if (found.length < 2) {
    try {
      found = await fetchMusl();
    } catch (err) {
      why = (err as Error).message;
    }
  }
  if (found.length >= 2) return found;
  const reason = `needs two musl versions from the archive: ${why || `found ${found.map((m) => m.name).join(', ') || 'none'}`}`;
  if (process.env.GDH_REQUIRE_MUSL === '1') t.fail(reason);
  else t.skip(reason, () => {});
  return null;
}
