import type { CellResult } from '../results/model.js';
import { cellOutcome, type OutcomeClass } from '../results/outcome-code.js';

/** The shape both the terminal and Markdown tables share: per scenario, rows x columns of cells. */
export interface Grid {
  scenario: string;
  columns: string[];
  rows: Array<{ label: string; cells: Array<CellResult | undefined> }>;
}

export const columnOf = (c: CellResult): string => `${c.axes.cgo}/${c.axes.netdns === 'default' ? 'def' : c.axes.netdns}`;

export function rowOf(c: CellResult): string {
  const extra = [...(c.axes.libc ? [c.axes.libc] : []), ...(c.axes.stub ? [`stub=${c.axes.stub}`] : []), ...c.axes.godebug, ...c.axes.tags.map((t) => `tags=${t}`), ...(c.axes.goModGo !== '1.19' ? [`go.mod ${c.axes.goModGo}`] : [])];
  return [c.axes.go, ...extra].join(' ');
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

const VERDICT_MARK: Record<CellResult['verdict'], string> = { pass: '', fail: '✗', slow: '~', skip: '', error: '', xfail: 'x' };

export interface CellText {
  /** What happened, then the verdict mark: `misbehaving go`, `temp-fail cgo 5.0s`, `ok go ✗`. */
  text: string;
  /** The outcome class the cell is coloured by; skip and error have none. */
  class: OutcomeClass | 'skip' | 'error';
  /** ✗ not met, ~ slower than its limit, x known failing; '' when met (or skipped, errored). */
  verdict: string;
}

/**
 * A cell as a reader needs it: each lookup's outcome code (joined by "/"), the path Go declared
 * (and the client the wire shows where that differs, after "!"), the time class when it mattered,
 * and last the verdict mark. `short` takes the terminal's short codes.
 */
export function cellText(c: CellResult | undefined, ipv6Seen: (c: CellResult, i: number) => boolean = () => false, short = false): CellText {
  if (!c) return { text: '', class: 'skip', verdict: '' };
  if (c.verdict === 'skip') return { text: 'skip', class: 'skip', verdict: '' };
  if (c.verdict === 'error') return { text: short ? 'harness!' : 'harness error', class: 'error', verdict: '' };
  const o = cellOutcome(c, ipv6Seen);
  const codes = [...new Set(o.lookups.map((l) => (short ? l.short : l.code)))].join('/');
  const paths = [...new Set(c.lookups.map((l) => l.declaredPath).filter((p) => p === 'go' || p === 'cgo'))].join('/');
  const wire = c.observed?.disagrees ? `!${c.observed.path}` : '';
  const slowest = o.lookups.reduce((m, l, i) => ((c.lookups[i]?.elapsedMs ?? 0) > (c.lookups[m]?.elapsedMs ?? 0) ? i : m), 0);
  const time = o.lookups[slowest]?.time ?? '';
  const mark = VERDICT_MARK[c.verdict];
  return { text: [codes, `${paths}${wire}`, time, mark].filter(Boolean).join(' '), class: o.class, verdict: mark };
}
