// Rewrites the generated table of docs/musl.md from a result document
// (npm run docs:musl runs every scenario with --libc glibc,musl first; or pass RESULTS.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderLibcTable } from '../dist/report/libc-table.js';

const file = process.argv[2] ?? 'results/musl/results.json';
const doc = JSON.parse(readFileSync(file, 'utf8'));
const target = new URL('../docs/musl.md', import.meta.url);
const page = readFileSync(target, 'utf8');
const begin = '<!-- generated: begin -->';
const end = '<!-- generated: end -->';
const [head, rest] = page.split(begin);
if (rest === undefined || !rest.includes(end)) throw new Error(`docs/musl.md: the markers ${begin} and ${end} are missing`);
const tail = rest.slice(rest.indexOf(end));
const m = doc.meta;
const s = doc.summary;
const run = `Run ${m.startedAt} on ${m.host.distro} (${m.host.glibc}); Go ${m.toolchains.map((t) => t.version.replace(/^go/, '')).join(', ')}; libc axis: glibc and ${[...new Set(doc.cells.map((c) => c.axes.libc).filter(Boolean))].join(', ')}; ${s.total} cells: ${s.pass} pass, ${s.fail} fail, ${s.slow} slow, ${s.skip} skipped, ${s.error} errors.`;
writeFileSync(target, `${head}${begin}\n\n${run}\n\n${renderLibcTable(doc)}\n${tail}`);
console.log(`docs/musl.md: table from ${file} (${doc.cells.length} cells, ${m.startedAt})`);
