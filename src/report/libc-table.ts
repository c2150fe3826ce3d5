/**
 * The libc axis for people choosing an image: per scenario, what a Go program gets with its own
 * resolver (CGO_ENABLED=0), through glibc, and through each musl (CGO_ENABLED=1 with netdns=cgo,
 * so the C library answers), for the newest Go in the run.
 */
import { isPlain } from '../plan/axes.js';
import { compareVersions } from '../provision/musl.js';
import type { CellResult, RunResult } from '../results/model.js';
import { CLASS_MARK, cellOutcome, timeClass } from '../results/outcome-code.js';
import { VERDICT_MARK } from './grid.js';
import { outcomeText } from './stub-compare.js';

export interface LibcRow {
  scenario: string;
  /** Column -> the cell there ("go" is CGO_ENABLED=0; then glibc, musl-1.2.3, ...). */
  cells: Map<string, CellResult>;
}


function goMinor(v: string): number {
  return Number(/^go1\.(\d+)/.exec(v)?.[1] ?? 0);
}

export function libcRows(run: RunResult): { go: string; columns: string[]; rows: LibcRow[] } {
  const newest = [...new Set(run.cells.map((c) => c.axes.go))].sort((a, b) => goMinor(a) - goMinor(b)).at(-1) ?? '';
  const musls = [...new Set(run.cells.map((c) => c.axes.libc).filter((l): l is string => !!l))].sort((a, b) => compareVersions(a.slice(5), b.slice(5)));
  const columns = ['go', 'glibc', ...musls];
  const rows = new Map<string, LibcRow>();
  for (const c of run.cells) {
    const a = c.axes;
    // One cell per column: no extra GODEBUG, tags or go line; the real stub where there is one.
    if (a.go !== newest || !isPlain(a, ['godebug', 'tags', 'goModGo', 'platform']) || (a.stub && a.stub !== 'real')) continue;
    const column = a.cgo === '0' ? (a.netdns === 'default' ? 'go' : undefined) : a.netdns === 'cgo' ? (a.libc ?? 'glibc') : undefined;
    if (!column) continue;
    const row = rows.get(a.scenario) ?? { scenario: a.scenario, cells: new Map() };
    row.cells.set(column, c);
    rows.set(a.scenario, row);
  }
  const withMusl = [...rows.values()].filter((r) => musls.some((m) => r.cells.has(m)));
  return { go: newest, columns, rows: withMusl.sort((x, y) => x.scenario.localeCompare(y.scenario)) };
}

const TITLES: Record<string, string> = { go: "Go's resolver (CGO_ENABLED=0)", glibc: 'cgo + glibc' };
const esc = (s: string) => s.replace(/\|/g, '\\|');

/** Markdown: a row per scenario, a column per resolver; each cell its verdict mark, outcome and time. */
export function renderLibcTable(run: RunResult): string {
  const { go, columns, rows } = libcRows(run);
  if (rows.length === 0) return '';
  const out = [
    `## Go's resolver, glibc and musl (${go})`,
    '',
    `Per scenario: what ${go} got with its own resolver (CGO_ENABLED=0, netdns unset) and through each C library (CGO_ENABLED=1, GODEBUG=netdns=cgo; musl builds are static). First what happened (🟢 worked, 🟡 worked slowly or partly, 🔴 failed; the outcome, the addresses or the error, and the time from 0.25 s), then ✗ where that is not what the scenario expects (~ slower than its limit, x known failing).`,
    '',
    `| scenario | ${columns.map((c) => TITLES[c] ?? `cgo + ${c}`).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
  ];
  for (const r of rows) {
    const cells = columns.map((col) => {
      const c = r.cells.get(col);
      if (!c) return '';
      if (c.verdict === 'skip' || c.verdict === 'error') return esc(outcomeText(c));
      const time = timeClass(c.lookups.reduce((s, l) => s + l.elapsedMs, 0));
      return `${CLASS_MARK[cellOutcome(c).class]} ${esc(outcomeText(c))}${time ? ` (${time})` : ''}${VERDICT_MARK[c.verdict] ? ` ${VERDICT_MARK[c.verdict]}` : ''}`;
    });
    out.push(`| ${r.scenario} | ${cells.join(' | ')} |`);
  }
  return `${out.join('\n')}\n`;
}
