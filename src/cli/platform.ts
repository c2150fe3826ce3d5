import { UsageError } from '../errors.js';
import { fetchPlatform, PLATFORMS, readPlatform, type PlatformInstall } from '../provision/platform.js';

const say = (s: string): void => void process.stderr.write(`go-dns-harness: ${s}\n`);

const resolvedText = (p: PlatformInstall): string => ('unavailable' in p.resolved ? `resolved unavailable: ${p.resolved.unavailable}` : p.resolved.version);

/** Every platform of the table: fetched (its glibc and resolved) or why not. */
export function platformList(json: boolean): void {
  const rows = PLATFORMS.map((spec) => ({ spec, have: readPlatform(spec.name) }));
  if (json) {
    process.stdout.write(`${JSON.stringify(rows.map(({ spec, have }) => ({ ...spec, ...('unavailable' in have ? { fetched: false, reason: have.unavailable } : { fetched: true, glibc: have.glibc, libcPackage: have.libcPackage, resolved: resolvedText(have), root: have.root }) })), null, 1)}\n`);
    return;
  }
  for (const { spec, have } of rows) {
    const state = 'unavailable' in have ? `not fetched: ${have.unavailable}` : `glibc ${have.glibc} (${have.libcPackage}), ${resolvedText(have)}`;
    process.stdout.write(`${spec.name.padEnd(11)} ${spec.suite.padEnd(9)} stands for ${spec.standsFor}\n            ${state}\n`);
  }
}

/** Fetches the named platforms (all: every one of the table), one after another. */
export async function platformFetch(names: string[], force: boolean, json: boolean): Promise<void> {
  if (names.length === 0) throw new UsageError(`platform fetch: name the platforms (${PLATFORMS.map((p) => p.name).join(', ')}, or all)`);
  const wanted = names.includes('all') ? PLATFORMS.map((p) => p.name) : names;
  for (const n of wanted) if (!PLATFORMS.some((p) => p.name === n)) throw new UsageError(`platform fetch: "${n}" is not a platform (${PLATFORMS.map((p) => p.name).join(', ')}, or all)`);
  const out: PlatformInstall[] = [];
  for (const name of wanted) {
    const started = Date.now();
    const p = await fetchPlatform(name, { force, log: say });
    say(`${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    out.push(p);
    if (!json) process.stdout.write(`${p.name}\tglibc ${p.glibc} (${p.libcPackage})\t${resolvedText(p)}\t${p.root}\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
}
