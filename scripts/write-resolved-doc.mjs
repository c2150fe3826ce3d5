// Rewrites the generated tables of docs/resolved.md from a result document
// (npm run docs:resolved runs the resolved-* scenarios with all three stubs first; or pass RESULTS.json).
import { renderStubComparison } from '../dist/report/stub-compare.js';
import { readResults, writeGenerated } from './generated-block.mjs';

const { file, doc } = readResults('results/resolved/results.json');
const m = doc.meta;
const run = `Run ${m.startedAt} on ${m.host.distro} (${m.host.glibc}), ${m.resolved ?? 'no systemd-resolved'}; Go ${m.toolchains.map((t) => t.version.replace(/^go/, '')).join(', ')}; ${doc.summary.total} cells: ${doc.summary.pass} pass, ${doc.summary.fail} fail, ${doc.summary.skip} skipped, ${doc.summary.error} errors.`;
writeGenerated('resolved.md', `${run}\n\n${renderStubComparison(doc)}`);
console.log(`docs/resolved.md: tables from ${file} (${doc.cells.length} cells, ${m.startedAt})`);
