// Rewrites the generated table of docs/musl.md from a result document
// (npm run docs:musl runs every scenario with --libc glibc,musl first; or pass RESULTS.json).
import { renderLibcTable } from '../dist/report/libc-table.js';
import { readResults, writeGenerated } from './generated-block.mjs';

const { file, doc } = readResults('results/musl/results.json');
const m = doc.meta;
const s = doc.summary;
const libcs = [...new Set(doc.cells.map((c) => c.axes.libc).filter(Boolean))].join(', ');
const run = `Run ${m.startedAt} on ${m.host.distro} (${m.host.glibc}); Go ${m.toolchains.map((t) => t.version.replace(/^go/, '')).join(', ')}; libc axis: glibc and ${libcs}; ${s.total} cells: ${s.pass} pass, ${s.fail} fail, ${s.slow} slow, ${s.skip} skipped, ${s.error} errors.`;
writeGenerated('musl.md', `${run}\n\n${renderLibcTable(doc)}`);
console.log(`docs/musl.md: table from ${file} (${doc.cells.length} cells, ${m.startedAt})`);
