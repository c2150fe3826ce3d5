import { styleText } from 'node:util';
import type { CellResult, RunResult } from '../results/model.js';
import { cellCode, grids } from './grid.js';

type Style = Parameters<typeof styleText>[0];

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
}

export function renderTerminal(run: RunResult, color = useColor()): string {
  // We decide about colour ourselves (useColor), so styleText must not second-guess the stream.
  const paint = (style: Style, s: string) => (color ? styleText(style, s, { validateStream: false }) : s);
  const styleOf: Record<string, Style> = { '✓': 'green', '✗': 'red', '~': 'yellow', '-': 'gray', '!': 'magenta', x: 'cyan' };
  const lines: string[] = [];
  for (const g of grids(run.cells)) {
    lines.push(paint('bold', g.scenario));
    const width = Math.max(8, ...g.rows.map((r) => r.label.length));
    lines.push(`  ${'cgo/netdns'.padEnd(width)}  ${g.columns.map((c) => c.padEnd(7)).join(' ')}`);
    for (const row of g.rows) {
      const cells = row.cells.map((c) => {
        const { mark, text } = cellCode(c);
        return paint(styleOf[mark] ?? 'reset', text.padEnd(7));
      });
      lines.push(`  ${row.label.padEnd(width)}  ${cells.join(' ')}`);
    }
    lines.push('');
  }
  const bad = run.cells.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'slow');
  if (bad.length > 0) {
    lines.push(paint('bold', `${bad.length} cell(s) not passing:`));
    for (const c of bad) lines.push(...describeProblem(c).map((l, i) => (i === 0 ? `  ${paint(styleOf[cellCode(c).mark] ?? 'reset', l)}` : `    ${l}`)));
    lines.push('');
  }
  const odd = run.cells.filter((c) => c.observed?.disagrees);
  if (odd.length > 0) {
    lines.push(paint('bold', `${odd.length} cell(s) where the wire disagrees with the declared path (marked !):`));
    for (const c of odd) lines.push(`  ${c.id}: declared ${c.lookups[0]?.declaredPath}, observed ${c.observed.path} (${c.observed.evidence.join('; ')})`);
    lines.push('');
  }
  const s = run.summary;
  lines.push(`${s.total} cells: ${s.pass} pass, ${s.fail} fail, ${s.slow} slow, ${s.skip} skip, ${s.error} error${s.xfail ? `, ${s.xfail} known failing` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function describeProblem(c: CellResult): string[] {
  const out = [`${c.verdict.toUpperCase()} ${c.id}`];
  if (c.reason) out.push(c.reason);
  for (const ch of c.checks) if (!ch.ok) out.push(`${ch.lookup}: ${ch.problems.join('; ')}`);
  out.push(`repro: ${c.repro}`);
  return out;
}

/** One line per finished cell, for logs and pipes. */
export function cellLine(c: CellResult, done: number, total: number): string {
  const path = c.lookups[0]?.declaredPath ?? '';
  return `[${done}/${total}] ${c.verdict.padEnd(5)} ${c.id} ${path} ${c.durationMs.toFixed(0)}ms${c.reason ? ` (${c.reason})` : ''}`;
}
