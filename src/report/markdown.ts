import type { RunResult } from '../results/model.js';
import { CLASS_MARK, LEGEND, PROGRAM_LEGEND, ipv6SeenBy, type OutcomeClass } from '../results/outcome-code.js';
import { cellText, columnOf, grids, type CellText } from './grid.js';
import { whatWorks } from './what-works.js';
import { renderStubComparison } from './stub-compare.js';
import { renderLibcTable } from './libc-table.js';
import { renderPlatformTable, renderResolvedReleases } from './platform-table.js';

const COLUMN_TITLES: Record<string, string> = {
  '0/def': 'cgo 0 · default',
  '0/go': 'cgo 0 · netdns=go',
  '0/cgo': 'cgo 0 · netdns=cgo',
  '1/def': 'cgo 1 · default',
  '1/go': 'cgo 1 · netdns=go',
  '1/cgo': 'cgo 1 · netdns=cgo',
};

const esc = (s: string) => s.replace(/\|/g, '\\|');


const markdownCell = (t: CellText): string => (t.class in CLASS_MARK ? `${CLASS_MARK[t.class as OutcomeClass]} ${t.text}` : t.text);

/** How to read a cell, and every outcome code with what it means. */
export function markdownLegend(programRun = false): string[] {
  return [
    'Each cell says what happened first: 🟢 it worked, 🟡 it worked slowly or partly, 🔴 it failed; then what each lookup came to (the codes below; several lookups are joined by /), the resolver path Go declared (go or cgo; `!glibc` or `!go` after it where the queries on the wire show the other client), and how long it took when that was 0.25 s or more. Then whether it met the scenario\'s expectation: nothing when it did, ✗ when it did not, ~ when it did but slower than the limit, x when it fails an expectation marked known failing (as it should until the bug is fixed). `skip` cells did not run (the reason is in results.json), `harness error` cells failed in the harness.',
    '',
    '| code | class | meaning |',
    '|---|---|---|',
    ...[...LEGEND, ...(programRun ? PROGRAM_LEGEND : [])].map((d) => `| \`${d.code}\` | ${CLASS_MARK[d.class]} ${d.class} | ${esc(d.meaning)} |`),
    '',
    'A lookup that worked only after 0.5 s or more counts as degraded.',
    '',
  ];
}

/** Compatibility tables: an overview pivot, then one section per scenario; ready for a README or a step summary. */
export function renderMarkdown(run: RunResult, summaries: Map<string, string> = new Map()): string {
  const out: string[] = [];
  const m = run.meta;
  out.push('# Go DNS compatibility', '');
  out.push(`Run ${m.startedAt} on ${m.host.distro} (kernel ${m.host.kernel}, ${m.host.glibc}), sandbox: ${m.sandboxMethod}, go-dns-harness ${m.harnessVersion}.`);
  out.push(`Toolchains: ${m.toolchains.map((t) => t.version).join(', ')}.`, '');
  out.push(...markdownLegend(run.cells.some((c) => c.program)));
  const gs = grids(run.cells);
  const ipv6 = ipv6SeenBy(run.cells);
  const columns = [...new Set(run.cells.map(columnOf))];
  const order = Object.keys(COLUMN_TITLES).filter((c) => columns.includes(c));
  out.push('## Overview', '');
  out.push(`| scenario | ${order.map((c) => COLUMN_TITLES[c]).join(' | ')} |`);
  out.push(`|---|${order.map(() => '---').join('|')}|`);
  for (const g of gs) {
    const cells = order.map((col) => {
      const list = run.cells.filter((c) => c.axes.scenario === g.scenario && columnOf(c) === col);
      const texts = list.map((c) => cellText(c, ipv6));
      const count = (cls: string) => texts.filter((t) => t.class === cls).length;
      const parts = (['works', 'degraded', 'fails'] as const).filter((k) => count(k) > 0).map((k) => `${CLASS_MARK[k]}${count(k)}`);
      const skipped = count('skip') + count('error');
      const unmet = texts.filter((t) => t.verdict === '✗').length;
      return [...parts, ...(skipped ? [`-${skipped}`] : []), ...(unmet ? [`✗${unmet}`] : [])].join(' ');
    });
    out.push(`| [${g.scenario}](#${g.scenario}) | ${cells.join(' | ')} |`);
  }
  out.push('', '(cells that worked 🟢, worked slowly or partly 🟡, failed 🔴, over the Go versions and extra settings; -N skipped or harness errors, ✗N not as the scenario expects)', '');
  // Scenarios with a real systemd-resolved: how it compares with its stand-ins.
  const stubs = renderStubComparison(run, summaries);
  if (stubs) out.push(stubs);
  // Runs with the libc axis: Go's resolver, glibc and each musl side by side.
  const libc = renderLibcTable(run);
  if (libc) out.push(libc);
  // Runs with the platform axis: the host and each platform side by side, and each release's resolved.
  const platforms = renderPlatformTable(run);
  if (platforms) out.push(platforms);
  const releases = renderResolvedReleases(run);
  if (releases) out.push(releases);
  for (const g of gs) {
    out.push(`## ${g.scenario}`, '');
    const summary = summaries.get(g.scenario);
    if (summary) out.push(esc(summary.trim()), '');
    out.push(`| Go | ${g.columns.map((c) => COLUMN_TITLES[c] ?? c).join(' | ')} |`);
    out.push(`|---|${g.columns.map(() => '---').join('|')}|`);
    for (const row of g.rows) out.push(`| ${esc(row.label)} | ${row.cells.map((c) => esc(markdownCell(cellText(c, ipv6)))).join(' | ')} |`);
    out.push('');
    const works = whatWorks(run.cells.filter((c) => c.axes.scenario === g.scenario), run.cells.map((c) => c.axes.goMinor));
    if (works) out.push(esc(works), '');
    const bad = run.cells.filter((c) => c.axes.scenario === g.scenario && c.verdict !== 'pass' && c.verdict !== 'skip');
    for (const c of bad) {
      const why = c.reason ?? c.checks.filter((x) => !x.ok).map((x) => `${x.lookup}: ${x.problems.join('; ')}`).join(' / ');
      out.push(`- ${c.verdict} \`${c.id}\`: ${esc(why)} — \`${c.repro}\``);
    }
    if (bad.length) out.push('');
  }
  return `${out.join('\n')}\n`;
}
