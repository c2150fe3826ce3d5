import { allAxes, settingsLabels } from '../plan/axes.js';
import type { CellResult } from '../results/model.js';
import { cellOutcome, shortTime, type OutcomeClass } from '../results/outcome-code.js';

/** The shape both the terminal and Markdown tables share: per scenario, rows x columns of cells. */
export interface Grid {
  scenario: string;
  columns: string[];
  rows: Array<{ label: string; cells: Array<CellResult | undefined> }>;
}

export const columnOf = (c: CellResult): string => `${c.axes.cgo}/${c.axes.netdns === 'default' ? 'def' : c.axes.netdns}`;

/** The axes a grid's columns show; a row names the others. */
const COLUMN_AXES = ['cgo', 'netdns'];

export function rowOf(c: Pick<CellResult, 'axes'>): string {
  return [c.axes.go, ...settingsLabels(c.axes, allAxes().map((x) => x.key).filter((k) => !COLUMN_AXES.includes(k)))].join(' ');
}

const COLUMN_ORDER = ['0/def', '0/go', '0/cgo', '1/def', '1/go', '1/cgo'];

export function grids(cells: CellResult[]): Grid[] {
  const byScenario = new Map<string, CellResult[]>();
  for (const c of cells) byScenario.set(c.axes.scenario, [...(byScenario.get(c.axes.scenario) ?? []), c]);
  const out: Grid[] = [];
  for (const [scenario, list] of byScenario) {
    const present = new Set(list.map(columnOf));
    const columns = COLUMN_ORDER.filter((c) => present.has(c));
    const rowLabels = [...new Set(list.map(rowOf))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    out.push({
      scenario,
      columns,
      rows: rowLabels.map((label) => ({ label, cells: columns.map((col) => list.find((c) => rowOf(c) === label && columnOf(c) === col)) })),
    });
  }
  return out;
}

/** Whether a cell met its expectation, as one mark after what happened (every table uses these). */
export const VERDICT_MARK: Record<CellResult['verdict'], string> = { pass: '', fail: '✗', slow: '~', skip: '', error: '', xfail: 'x', info: '' };

export interface CellText {
  /** What happened, then the verdict mark: `misbehaving go`, `temp-fail cgo 5.0s`, `ok go ✗`. */
  text: string;
  /** The outcome class the cell is coloured by; skip and error have none. */
  class: OutcomeClass | 'skip' | 'error';
  /** ✗ not met, ~ slower than its limit, x known failing; '' when met (or skipped, errored). */
  verdict: string;
}

/**
 * How much room a cell gets: `full` (Markdown, HTML) spells the codes out; `short` takes the
 * terminal's short codes; `tight` also writes the path as one letter (g, c), for wide grids.
 */
export type CellForm = 'full' | 'short' | 'tight';

const PATH_LETTER: Record<string, string> = { go: 'g', cgo: 'c', glibc: 'glibc', musl: 'musl', mixed: 'mixed', none: 'none' };

/** The paths a cell's lookups declared, in order, each once: `go`, `cgo`, `go/cgo`. */
export const cellPaths = (c: CellResult): string[] => [...new Set((c.program ? c.program.paths : c.lookups).map((l) => ('declaredPath' in l ? l.declaredPath : l.path)).filter((p) => p === 'go' || p === 'cgo'))];

/**
 * A cell as a reader needs it: each lookup's outcome code (joined by "/"), the path Go declared
 * (and the client the wire shows where that differs, after "!"), the time class of the slowest
 * lookup when it mattered, and last the verdict mark.
 */
export function cellText(c: CellResult | undefined, ipv6Seen: (c: CellResult, i: number) => boolean = () => false, form: CellForm = 'full'): CellText {
  if (!c) return { text: '', class: 'skip', verdict: '' };
  if (c.verdict === 'skip') return { text: 'skip', class: 'skip', verdict: '' };
  if (c.verdict === 'error') return { text: form === 'full' ? 'harness error' : 'harness!', class: 'error', verdict: '' };
  const o = cellOutcome(c, ipv6Seen);
  const codes = [...new Set(o.lookups.map((l) => (form === 'full' ? l.code : l.short)))].join('/');
  const paths = cellPaths(c).map((p) => (form === 'tight' ? (PATH_LETTER[p] ?? p) : p)).join('/');
  const wire = c.observed?.disagrees ? `!${c.observed.path}` : '';
  const slowest = c.program ? 0 : c.lookups.reduce((m, l, i) => (l.elapsedMs > (c.lookups[m]?.elapsedMs ?? 0) ? i : m), 0);
  const time = o.lookups[slowest]?.time ?? '';
  const mark = VERDICT_MARK[c.verdict];
  return { text: [codes, `${paths}${wire}`, form === 'full' ? time : shortTime(time), mark].filter(Boolean).join(' '), class: o.class, verdict: mark };
}
