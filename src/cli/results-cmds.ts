import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { mergeResults } from '../results/merge.js';
import { readResultsFile } from '../results/read.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { renderClientTable } from '../report/clients.js';
import { renderFingerprintTable } from '../report/fingerprints.js';
import { renderStubComparison } from '../report/stub-compare.js';
import { renderLibcTable } from '../report/libc-table.js';
import { renderPlatformTable, renderResolvedReleases } from '../report/platform-table.js';
import { githubAnnotations, githubSummary, reportToGithub } from '../report/github.js';
import { renderJunit } from '../report/junit.js';
import { renderHtml } from '../report/html.js';
import { renderChanges } from '../report/changes.js';
import { REPORT_FORMAT_NAMES } from './report-formats.js';



/**
 * Re-renders a result document. `github` prints the annotations and, under GitHub Actions,
 * appends the step summary to $GITHUB_STEP_SUMMARY (elsewhere it prints the summary too).
 */
export function report(file: string, format: string): void {
  if (!(REPORT_FORMAT_NAMES as string[]).includes(format)) throw new UsageError(`--format: "${format}" is not one of ${REPORT_FORMAT_NAMES.join(', ')}`);
  const doc = readResultsFile(file);
  const out = (s: string): void => void process.stdout.write(s);
  switch (format) {
    case 'terminal': return out(renderTerminal(doc));
    case 'changes': return out(renderChanges(doc));
    case 'clients': return out(renderClientTable(doc));
    case 'fingerprints': return out(renderFingerprintTable(doc));
    case 'stubs': return out(`${renderStubComparison(doc)}${renderResolvedReleases(doc)}` || 'no cells with a stub axis (scenarios with a `resolved` server) in this result\n');
    case 'platforms': return out(renderPlatformTable(doc) || 'no platform cells in this result (run with --platform host,debian-11,...)\n');
    case 'libc': return out(renderLibcTable(doc) || 'no musl cells in this result (run with --libc glibc,musl)\n');
    case 'junit': return out(renderJunit(doc));
    case 'html': return out(renderHtml(doc));
    case 'github':
      if (!reportToGithub(doc)) out(`${githubAnnotations(doc).join('\n')}\n\n${githubSummary(doc)}`);
      return;
    default: return out(renderMarkdown(doc));
  }
}

/** Merges shard results into one document, the same as the unsharded run's. */
export function merge(files: string[], out: string | undefined): number {
  const merged = mergeResults(files.map((f) => readResultsFile(f)));
  const text = `${JSON.stringify(merged, null, 1)}\n`;
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return merged.summary.fail + merged.summary.error > 0 ? 1 : 0;
}
