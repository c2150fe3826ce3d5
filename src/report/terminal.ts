import { styleText } from 'node:util';
import type { CellResult, RunResult } from '../results/model.js';
import { LEGEND, PROGRAM_LEGEND, cellOutcome, ipv6SeenBy } from '../results/outcome-code.js';
import { cellText, grids, type CellText } from './grid.js';

type Style = Parameters<typeof styleText>[0];

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
}

/** The width the grid must fit: an ordinary terminal's 80 columns plus room for the row labels. */
export const GRID_COLUMNS = 100;

export function renderTerminal(run: RunResult, color = useColor(), columns = GRID_COLUMNS): string {
  // We decide about colour ourselves (useColor), so styleText must not second-guess the stream.
  const paint = (style: Style, s: string) => (color ? styleText(style, s, { validateStream: false }) : s);
  const styleOf: Record<CellText['class'], Style> = { works: 'green', degraded: 'yellow', fails: 'red', skip: 'gray', error: 'magenta' };
  const paintCell = (t: CellText, width: number): string => {
    const pad = ' '.repeat(Math.max(0, width - [...t.text].length));
    if (!t.verdict) return paint(styleOf[t.class], t.text) + pad;
    // The verdict mark stands apart from the behaviour's colour: inverse, so a mismatch is seen.
    return paint(styleOf[t.class], t.text.slice(0, -t.verdict.length)) + paint('inverse', t.verdict) + pad;
  };
  const ipv6 = ipv6SeenBy(run.cells);
  const lines: string[] = [];
  for (const g of grids(run.cells)) {
    lines.push(paint('bold', g.scenario));
    const width = Math.max('cgo/netdns'.length, ...g.rows.map((r) => r.label.length));
    // Spelled-out paths where they fit, one letter where not; columns that still do not fit go to
    // a second table below the first.
    let texts: CellText[][] = [];
    let colWidths: number[] = [];
    for (const form of ['short', 'tight'] as const) {
      texts = g.rows.map((r) => r.cells.map((c) => cellText(c, ipv6, form)));
      colWidths = g.columns.map((col, i) => Math.max(col.length, ...texts.map((r) => [...(r[i]?.text ?? '')].length)));
      if (2 + width + colWidths.reduce((a, w) => a + 2 + w, 0) <= columns) break;
    }
    for (const chunk of columnChunks(colWidths, columns - 2 - width)) {
      lines.push(`  ${'cgo/netdns'.padEnd(width)}  ${chunk.map((i) => (g.columns[i] ?? '').padEnd(colWidths[i] ?? 0)).join('  ')}`.trimEnd());
      g.rows.forEach((row, ri) => {
        const cells = chunk.map((i) => paintCell(texts[ri]?.[i] as CellText, colWidths[i] ?? 0));
        lines.push(`  ${row.label.padEnd(width)}  ${cells.join('  ')}`.trimEnd());
      });
    }
    lines.push('');
  }
  lines.push(...legendLines(run));
  const bad = run.cells.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'slow');
  if (bad.length > 0) {
    lines.push(paint('bold', `${bad.length} cell(s) not passing:`));
    for (const c of bad) lines.push(...describeProblem(c).map((l, i) => (i === 0 ? `  ${paint(c.verdict === 'slow' ? 'yellow' : c.verdict === 'error' ? 'magenta' : 'red', l)}` : `    ${l}`)));
    lines.push('');
  }
  const odd = run.cells.filter((c) => c.observed?.disagrees);
  if (odd.length > 0) {
    lines.push(paint('bold', `${odd.length} cell(s) where the wire disagrees with the declared path (marked !):`));
    for (const c of odd) lines.push(`  ${c.id}: declared ${c.lookups[0]?.declaredPath}, observed ${c.observed.path} (${c.observed.evidence.join('; ')})`);
    lines.push('');
  }
  const s = run.summary;
  lines.push(`${s.total} cells: ${s.pass} pass, ${s.fail} fail, ${s.slow} slow, ${s.skip} skip, ${s.error} error${s.xfail ? `, ${s.xfail} known failing` : ''}${s.info ? `, ${s.info} measured only (no dns-expect.yaml)` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Column indexes in runs that fit `room` (each column takes its width plus two spaces). */
function columnChunks(widths: number[], room: number): number[][] {
  const chunks: number[][] = [[]];
  let used = 0;
  widths.forEach((w, i) => {
    const last = chunks[chunks.length - 1] as number[];
    if (last.length > 0 && used + 2 + w > room) {
      chunks.push([i]);
      used = 2 + w;
    } else {
      last.push(i);
      used += 2 + w;
    }
  });
  return chunks;
}

/** The codes this run's grids use, short form first, so every cell can be read without the docs. */
function legendLines(run: RunResult): string[] {
  const ipv6 = ipv6SeenBy(run.cells);
  const seen = new Set(run.cells.flatMap((c) => cellOutcome(c, ipv6).lookups.map((l) => l.code)));
  // A program's exit code is in its code (exit-1); the legend says exit-N once for them all.
  if ([...seen].some((c) => /^exit-[1-9]/.test(c))) seen.add('exit-N');
  const entries = [...LEGEND, ...PROGRAM_LEGEND].filter((d) => seen.has(d.code)).map((d) => `${d.short.padEnd(5)} ${d.code}: ${d.meaning}`);
  return [
    'Each cell: what each lookup came to, the path Go declared (go or cgo; g or c where room is',
    'short; !glibc, !go where the wire shows the other client), the time when 0.25 s or more,',
    "then ✗ when it did not meet the scenario's expectation (~ met but slower than its limit,",
    'x known failing). Green worked, yellow worked slowly or partly, red failed.',
    ...entries.map((e) => `  ${e}`),
    '',
  ];
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
