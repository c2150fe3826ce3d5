import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CellResult, RunResult } from '../results/model.js';
import { problemLines, slowness } from './problems.js';

/** Workflow-command escaping: data may not hold raw %, CR or LF; properties also not : or ,. */
const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function scenarioFile(scenario: string, scenariosDir: string): string | undefined {
  const f = join(scenariosDir, `${scenario}.yaml`);
  return existsSync(f) ? f : undefined;
}

function annotation(level: 'error' | 'warning', c: CellResult, message: string, scenariosDir: string): string {
  const file = scenarioFile(c.axes.scenario, scenariosDir);
  const props = [...(file ? [`file=${property(file)}`] : []), `title=${property(c.id)}`].join(',');
  return `::${level} ${props}::${data(`${message}\nrepro: ${c.repro}`)}`;
}

/**
 * GitHub Actions annotations: an error per failing or erroring cell, a warning per slow cell and
 * per cell whose wire disagrees with Go's declared path, each pointing at the scenario file.
 */
export function githubAnnotations(run: RunResult, scenariosDir = 'scenarios'): string[] {
  const out: string[] = [];
  for (const c of run.cells) {
    const problems = problemLines(c).join('\n');
    if (c.verdict === 'fail') out.push(annotation('error', c, problems || 'expectations not met', scenariosDir));
    else if (c.verdict === 'error') out.push(annotation('error', c, `harness error: ${c.reason ?? 'unknown'}`, scenariosDir));
    else if (c.verdict === 'slow') out.push(annotation('warning', c, slowness(c), scenariosDir));
    if (c.observed.disagrees) out.push(annotation('warning', c, `Go declared ${c.declared.mode}, the wire shows ${c.observed.path}: ${c.observed.evidence.join('; ')}`, scenariosDir));
  }
  return out;
}

const MAX_LISTED = 50;

/** The job's step summary: counts, then the cells that did not pass with their repro commands. */
export function githubSummary(run: RunResult): string {
  const s = run.summary;
  const lines = [
    '## go-dns-harness',
    '',
    `${s.total} cells on ${run.meta.host.distro} (${run.meta.host.glibc}), ${run.meta.toolchains.map((t) => t.version).join(', ') || 'no toolchains'}${run.meta.shard ? `, shard ${run.meta.shard.index}/${run.meta.shard.count}` : ''}.`,
    '',
    '| pass | fail | slow | skip | error | known failing |',
    '|---|---|---|---|---|---|',
    `| ${s.pass} | ${s.fail} | ${s.slow} | ${s.skip} | ${s.error} | ${s.xfail ?? 0} |`,
    '',
  ];
  if (s.info) lines.push(`${s.info} program cells measured only: no dns-expect.yaml judges them.`, '');
  const bad = run.cells.filter((c) => c.verdict === 'fail' || c.verdict === 'slow' || c.verdict === 'error');
  if (bad.length) {
    lines.push('| verdict | cell | what | repro |', '|---|---|---|---|');
    for (const c of bad.slice(0, MAX_LISTED)) {
      const what = (c.reason ?? c.checks.flatMap((k) => k.problems).join('; ')).replace(/\|/g, '\\|').replace(/\n/g, ' ');
      lines.push(`| ${c.verdict} | \`${c.id}\` | ${what} | \`${c.repro}\` |`);
    }
    if (bad.length > MAX_LISTED) lines.push('', `... and ${bad.length - MAX_LISTED} more; see the results.json artifact.`);
  } else lines.push('Every cell met its expectations.');
  return `${lines.join('\n')}\n`;
}

/**
 * When running under GitHub Actions (GITHUB_ACTIONS=true): print the annotations and append the
 * summary to $GITHUB_STEP_SUMMARY. Returns whether it did anything.
 */
export function reportToGithub(run: RunResult, env: NodeJS.ProcessEnv = process.env, write: (s: string) => void = (s) => process.stdout.write(s)): boolean {
  if (env.GITHUB_ACTIONS !== 'true') return false;
  for (const line of githubAnnotations(run)) write(`${line}\n`);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, githubSummary(run));
  return true;
}
