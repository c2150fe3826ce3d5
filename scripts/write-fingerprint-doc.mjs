// Rewrites the generated tables of docs/fingerprints.md from a result document
// (npm run docs:fingerprints runs the default matrix first; or pass RESULTS.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderClientTable } from '../dist/report/clients.js';
import { renderFingerprintTable } from '../dist/report/fingerprints.js';

const file = process.argv[2] ?? 'results/results.json';
const doc = JSON.parse(readFileSync(file, 'utf8'));
const target = new URL('../docs/fingerprints.md', import.meta.url);
const page = readFileSync(target, 'utf8');
const begin = '<!-- generated: begin -->';
const end = '<!-- generated: end -->';
const [head, rest] = page.split(begin);
if (rest === undefined || !rest.includes(end)) throw new Error(`docs/fingerprints.md: the markers ${begin} and ${end} are missing`);
const tail = rest.slice(rest.indexOf(end));
const demote = (md) => md.replace(/^# /m, '### ');
writeFileSync(target, `${head}${begin}\n\n${demote(renderFingerprintTable(doc))}\n${demote(renderClientTable(doc))}\n${tail}`);
console.log(`docs/fingerprints.md: tables from ${file} (${doc.cells.length} cells, ${doc.meta.startedAt})`);
