import type { Test } from 'tap';
import { buildProbe, discoverToolchains, type ProbeBinary, type Toolchain } from '../../src/index.js';

/**
 * Go 1.19 and the newest toolchain found. Without them the calling test is skipped with the
 * reason, except where GDH_REQUIRE_GO=1 (CI), where their absence fails the test.
 */
export async function oldestAndNewest(t: Test): Promise<Toolchain[] | null> {
  const all = await discoverToolchains();
  const old = all.find((tc) => tc.minor === 19);
  const newest = all.at(-1);
  if (old && newest && newest.minor > 19) return [old, newest];
  const why = `needs Go 1.19 and a newer toolchain; found ${all.map((x) => x.version).join(', ') || 'none'}; run: go-dns-harness toolchains fetch 1.19 newest`;
  if (process.env.GDH_REQUIRE_GO === '1') t.fail(why);
  else t.skip(why, () => {});
  return null;
}

export async function probeFor(t: Test, toolchain: Toolchain, cgo: '0' | '1', tags: string[] = []): Promise<ProbeBinary> {
  const p = await buildProbe({ toolchain, cgo, tags, goModGo: '1.19' });
  if ('skipped' in p) {
    t.fail(p.skipped);
    throw new Error(p.skipped);
  }
  return p;
}

export interface ProbeOutput {
  go: { version: string };
  build: { cgoEnabled: string; tags: string; toolchain: string; defaultGODEBUG: string };
  godebug: { env: string; default: string; effective: string };
  lookups: Array<{ kind: string; name: string; ok: boolean; addrs?: string[]; error?: string; isNotFound: boolean; isTimeout: boolean; isTemporary: boolean; elapsedMs: number }>;
}
