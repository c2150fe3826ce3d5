// Rewrites the generated tables of docs/fingerprints.md from a result document
// (npm run docs:fingerprints runs the default matrix first; or pass RESULTS.json).
import { renderClientTable } from '../dist/report/clients.js';
import { renderFingerprintTable } from '../dist/report/fingerprints.js';
import { readResults, writeGenerated } from './generated-block.mjs';

const { file, doc } = readResults('results/results.json');
const demote = (md) => md.replace(/^# /m, '### ');
writeGenerated('fingerprints.md', `${demote(renderFingerprintTable(doc))}\n${demote(renderClientTable(doc))}`);
console.log(`docs/fingerprints.md: tables from ${file} (${doc.cells.length} cells, ${doc.meta.startedAt})`);
