import { readFileSync, writeFileSync } from 'node:fs';
import { mergeResults, parseResults } from '../results/merge.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { renderClientTable } from '../report/clients.js';
import { renderFingerprintTable } from '../report/fingerprints.js';

const read = (f: string) => parseResults(readFileSync(f, 'utf8'), f);

/** Re-renders a result document: Markdown (default) or the terminal summary. */
export function report(file: string, format: string): void {
  const doc = read(file);
  process.stdout.write(format === 'terminal' ? renderTerminal(doc) : format === 'clients' ? renderClientTable(doc) : format === 'fingerprints' ? renderFingerprintTable(doc) : renderMarkdown(doc));
}

/** Merges shard results into one document, the same as the unsharded run's. */
export function merge(files: string[], out: string | undefined): number {
  const merged = mergeResults(files.map(read));
  const text = `${JSON.stringify(merged, null, 1)}\n`;
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return merged.summary.fail + merged.summary.error > 0 ? 1 : 0;
}
