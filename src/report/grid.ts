import type { CellResult } from '../results/model.js';

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

/** A cell in a few characters: outcome mark and the path Go declared for the first lookup. */
export function cellCode(c: CellResult | undefined): { mark: string; text: string } {
  if (!c) return { mark: ' ', text: '' };
  const path = c.lookups[0]?.declaredPath;
  const p = path && path !== 'unknown' ? path : '';
  // "!" after the path: the wire shows the other client than the one Go declared.
  const odd = c.observed?.disagrees ? '!' : '';
  switch (c.verdict) {
    case 'pass': return { mark: '✓', text: `✓${p}${odd}` };
    case 'fail': return { mark: '✗', text: `✗${p}${odd}` };
    case 'slow': return { mark: '~', text: `~${p}${odd}` };
    case 'skip': return { mark: '-', text: '-skip' };
    case 'error': return { mark: '!', text: '!err' };
    case 'xfail': return { mark: 'x', text: `x${p}${odd}` };
  }
}
