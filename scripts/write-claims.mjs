// Writes docs/claims.md: each claim with the cells that settle it (from RESULTS.json, a run that
// includes ubuntu-stub-healthy and stub-refused) and the experiments it needs, run now.
import { readFileSync, writeFileSync } from 'node:fs';
import { evaluateClaims, renderClaims } from '../dist/claims/claims.js';
import { cgoEnabledFromEnv, goModDownload } from '../dist/claims/experiments.js';
import { discoverToolchains } from '../dist/go/toolchains.js';
import { cleanUpOnSignals } from '../dist/sandbox/registry.js';
import { resolveScenario } from '../dist/scenario/load.js';

cleanUpOnSignals();
const file = process.argv[2] ?? 'results/claims/results.json';
const run = JSON.parse(readFileSync(file, 'utf8'));
const all = await discoverToolchains();
const tcs = [all.find((t) => t.minor === 19), all.at(-1)].filter((t, i, a) => t && a.indexOf(t) === i);
if (tcs.length === 0) throw new Error('no Go toolchain found: go-dns-harness toolchains fetch 1.19 newest');
const cgoEnv = [];
const mod = [];
for (const tc of tcs) {
  cgoEnv.push(...(await cgoEnabledFromEnv(tc)));
  mod.push(...(await goModDownload(tc, resolveScenario('go-mod-download'))));
}
writeFileSync(new URL('../docs/claims.md', import.meta.url), renderClaims(run, evaluateClaims(run, { cgoEnv, goModDownload: mod })));
console.log(`docs/claims.md: from ${file} and experiments with ${tcs.map((t) => t.version).join(', ')}`);
