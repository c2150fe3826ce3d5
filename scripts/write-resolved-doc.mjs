// Rewrites the generated tables of docs/resolved.md from a result document
// (npm run docs:resolved runs the resolved-* scenarios with all three stubs first; or pass RESULTS.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderStubComparison } from '../dist/report/stub-compare.js';

const file = process.argv[2] ?? 'results/resolved/results.json';
const doc = JSON.parse(readFileSync(file, 'utf8'));
const target = new URL('../docs/resolved.md', import.meta.url);
const page = readFileSync(target, 'utf8');
const begin = '<!-- generated: begin -->';
const end = '<!-- generated: end -->';
const [head, rest] = page.split(begin);
if (rest === undefined || !rest.includes(end)) throw new Error(`docs/resolved.md: the markers ${begin} and ${end} are missing`);
const tail = rest.slice(rest.indexOf(end));
const m = doc.meta;
const run = `Run ${m.startedAt} on ${m.host.distro} (${m.host.glibc}), ${m.resolved ?? 'no systemd-resolved'}; Go ${m.toolchains.map((t) => t.version.replace(/^go/, '')).join(', ')}; ${doc.summary.total} cells: ${doc.summary.pass} pass, ${doc.summary.fail} fail, ${doc.summary.skip} skipped, ${doc.summary.error} errors.`;
writeFileSync(target, `${head}${begin}\n\n${run}\n\n${renderStubComparison(doc)}\n${tail}`);
console.log(`docs/resolved.md: tables from ${file} (${doc.cells.length} cells, ${m.startedAt})`);
