import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadProgramExpectations, PROGRAM_EXPECT_FILE, type ProgramExpectations } from '../scenario/program-expect.js';
import { UsageError } from '../errors.js';
import { runMatrix } from '../run/matrix.js';
import { readBaseline } from '../results/baseline.js';
import { baselineCheck } from './baseline.js';
import { readResultsFile } from '../results/read.js';
import { reportToGithub } from '../report/github.js';
import { renderHtml } from '../report/html.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { progress } from '../report/progress.js';
import { renderTerminal } from '../report/terminal.js';
import { cleanUpOnSignals } from '../sandbox/registry.js';
import { parseShard, planFor } from '../plan/request.js';
import { planRequestOf, type MatrixArgs } from './matrix-options.js';

export interface RunArgs extends MatrixArgs {
  jobs: string;
  out: string;
  json: boolean;
  'pcap-dir'?: string;
  baseline?: string;
}

const say = (s: string): void => void process.stderr.write(`go-dns-harness: ${s}\n`);

/** Cell durations from the last run in the same output dir, to balance sandboxes by real waits. */
function previousDurations(file: string): Map<string, number> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const doc = readResultsFile(file, { validate: false });
    return new Map(doc.cells.filter((c) => c.verdict !== 'skip').map((c) => [c.id, c.durationMs]));
  } catch {
    return undefined;
  }
}

/** Runs the matrix, writes results/results.json and results.md, prints the summary. Exit 1 if any cell failed. */
export async function run(a: RunArgs, argv: string[], programArgs: string[] = []): Promise<number> {
  cleanUpOnSignals();
  const jobs = Number(a.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs: "${a.jobs}" is not a positive whole number`);
  const programPaths = (a.program as string[] | undefined) ?? [];
  if (programArgs.length && programPaths.length === 0) throw new UsageError('run: words after -- are the arguments of a --program; give --program PATH, or drop them');
  // A baseline that cannot be read is said before the run, not after it.
  if (a.baseline) readBaseline(a.baseline);
  const { cells, scenarios } = await planFor(planRequestOf(a), say, previousDurations(join(a.out, 'results.json')));
  const program = cells.find((c) => c.program)?.program;
  let expectations: ProgramExpectations | undefined;
  if (program) {
    expectations = loadProgramExpectations(program.kind === 'package' ? program.dir : dirname(program.path), scenarios.map((s) => s.name));
    say(expectations ? `${program.given}: judged by ${expectations.source}` : `${program.given}: no ${PROGRAM_EXPECT_FILE} beside it, so its cells show behaviour only (no verdict)`);
  }
  say(`${cells.length} cells, ${jobs} sandboxes at a time`);
  const p = progress();
  const shard = parseShard(a.shard);
  const result = await runMatrix(cells, { jobs, onCell: p.onCell, argv, scenarios, fetch: !a['no-fetch'], log: say, ...(shard ? { shard } : {}), ...(a['pcap-dir'] ? { pcapDir: a['pcap-dir'] } : {}), ...(program ? { program: { args: programArgs, ...(expectations ? { expectations } : {}) } } : {}) });
  p.end();
  mkdirSync(a.out, { recursive: true });
  const summaries = new Map(cells.map((c) => [c.scenario.name, c.scenario.summary]));
  writeFileSync(join(a.out, 'results.json'), `${JSON.stringify(result, null, 1)}\n`);
  writeFileSync(join(a.out, 'results.md'), renderMarkdown(result, summaries));
  writeFileSync(join(a.out, 'junit.xml'), renderJunit(result));
  writeFileSync(join(a.out, 'results.html'), renderHtml(result, summaries));
  if (a.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(renderTerminal(result));
  // Under GitHub Actions the annotations go to stdout too; --json keeps stdout the document alone.
  if (!a.json) reportToGithub(result);
  say(`wrote ${join(a.out, 'results.json')}, results.md, results.html and junit.xml${a['pcap-dir'] ? `, and a pcap per cell in ${a['pcap-dir']}` : ''}`);
  const failed = result.summary.fail + result.summary.error > 0;
  // The baseline's report goes to stderr under --json, so stdout stays the document alone.
  const changed = a.baseline ? baselineCheck(result, a.baseline, (s) => void (a.json ? process.stderr : process.stdout).write(s)) === 1 : false;
  return failed || changed ? 1 : 0;
}
