import { updatePrivateApt } from '../provision/apt.js';
import { availableMinors, fetchToolchains } from '../provision/toolchains.js';
import { discoverToolchains } from '../go/toolchains.js';

const say = (s: string): void => void process.stderr.write(`go-dns-harness: ${s}\n`);

export async function toolchainsFetch(versions: string[], force: boolean): Promise<void> {
  if (versions.length === 0) versions = ['newest'];
  for (const tc of await fetchToolchains(versions, { force, log: say })) {
    process.stdout.write(`${tc.version}\t${tc.goroot}\n`);
  }
}

export async function toolchainsList(): Promise<void> {
  const found = await discoverToolchains();
  process.stdout.write('installed:\n');
  if (found.length === 0) process.stdout.write('  (none)\n');
  for (const tc of found) process.stdout.write(`  ${tc.version.padEnd(12)} ${tc.source.padEnd(7)} ${tc.goroot}  (CGO_ENABLED default ${tc.cgoDefault || '?'})\n`);
  let minors: number[] = [];
  try {
    await updatePrivateApt(false, say);
    minors = await availableMinors();
  } catch (err) {
    process.stdout.write(`fetchable: unknown (${(err as Error).message})\n`);
    return;
  }
  const have = new Set(found.map((t) => t.minor));
  process.stdout.write(`fetchable from the distribution archive: ${minors.map((m) => `1.${m}${have.has(m) ? '*' : ''}`).join(' ')}\n`);
  process.stdout.write('(* = already installed; fetch with: go-dns-harness toolchains fetch 1.N ...)\n');
}
