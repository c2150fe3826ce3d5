/**
 * The real systemd-resolved against its stand-ins: for each scenario with a `resolved` server,
 * what the probe got through the real stub, through the emulated stub and through the
 * passthrough stub, side by side, with the places where a stand-in differs from the real thing.
 */
import { allAxes, settingsLabels } from '../plan/axes.js';
import { resultOf } from '../results/expect.js';
import type { CellResult, RunResult } from '../results/model.js';
import { STUB_MODES, type StubMode } from '../results/model.js';

/** A lookup's outcome in words, without what changes from run to run (ephemeral ports). */
export function outcomeText(c: CellResult): string {
  if (c.verdict === 'skip' || c.verdict === 'error' || c.lookups.length === 0) return `${c.verdict}${c.reason ? `: ${c.reason}` : ''}`;
  return c.lookups
    .map((l) => {
      if (l.ok) {
        const addrs = [...(l.addrs ?? [])].sort();
        return addrs.length > 4 ? `ok, ${addrs.length} addresses` : `ok ${addrs.join(' ') || '(no addresses)'}`;
      }
      const msg = (l.error ?? '').replace(/^lookup \S+( on \S+)?: /, '').replace(/(\d+\.\d+\.\d+\.\d+|\]):\d+->/g, '$1:*->');
      return `${resultOf(l)}: ${msg}`;
    })
    .join('; ');
}

const seconds = (c: CellResult): number => c.lookups.reduce((s, l) => s + l.elapsedMs, 0);

/** Two outcomes are the same when the words are and the times are within 0.5 s or 20%. */
export function sameOutcome(a: CellResult, b: CellResult): boolean {
  if (outcomeText(a) !== outcomeText(b)) return false;
  const [x, y] = [seconds(a), seconds(b)];
  return Math.abs(x - y) <= Math.max(500, 0.2 * Math.max(x, y));
}

export interface StubRow {
  /** The Go versions this row speaks for. */
  go: string[];
  /** cgo · netdns (and any extra axis). */
  column: string;
  byMode: Partial<Record<StubMode, { text: string; ms: number }>>;
  /** Per stand-in mode: whether it differs from the real stub in any of the row's cells. */
  differs: Partial<Record<StubMode, boolean>>;
}

export interface StubComparison {
  scenario: string;
  modes: StubMode[];
  rows: StubRow[];
  /** Cells with a real-stub partner, per stand-in mode: compared and differing. */
  counts: Partial<Record<StubMode, { compared: number; differing: number }>>;
}

const keyWithoutStub = (c: CellResult): string => c.id.replace(/:stub=[a-z]+/, '').replace(/:go\d+\.\d+(\.\d+)?(?=:)/, '');
const columnOf = (c: CellResult): string => settingsLabels(c.axes, allAxes().map((x) => x.key).filter((k) => k !== 'stub')).join(' · ');
const timeText = (ms: number): string => (ms >= 500 ? ` (${(ms / 1000).toFixed(1)} s)` : '');

export function compareStubs(run: RunResult): StubComparison[] {
  const byScenario = new Map<string, CellResult[]>();
  for (const c of run.cells) if (c.axes.stub) byScenario.set(c.axes.scenario, [...(byScenario.get(c.axes.scenario) ?? []), c]);
  const out: StubComparison[] = [];
  for (const [scenario, cells] of byScenario) {
    const modes = STUB_MODES.filter((m) => cells.some((c) => c.axes.stub === m));
    // One group per cell position (Go version aside is handled below): the cells of each mode there.
    const positions = new Map<string, Map<StubMode, CellResult>>();
    for (const c of cells) {
      const k = `${c.axes.go}|${keyWithoutStub(c)}`;
      const m = positions.get(k) ?? new Map<StubMode, CellResult>();
      m.set(c.axes.stub as StubMode, c);
      positions.set(k, m);
    }
    const counts: StubComparison['counts'] = {};
    const rows = new Map<string, StubRow>();
    for (const byMode of positions.values()) {
      const any = [...byMode.values()][0] as CellResult;
      const real = byMode.get('real');
      const differs: StubRow['differs'] = {};
      const shown: StubRow['byMode'] = {};
      for (const m of modes) {
        const c = byMode.get(m);
        if (!c) continue;
        shown[m] = { text: outcomeText(c), ms: seconds(c) };
        if (m !== 'real' && real && real.verdict !== 'skip' && c.verdict !== 'skip') {
          const d = !sameOutcome(real, c);
          differs[m] = d;
          const n = (counts[m] ??= { compared: 0, differing: 0 });
          n.compared++;
          if (d) n.differing++;
        }
      }
      // Rows merge Go versions whose outcomes read the same (times to the second).
      const rowKey = [columnOf(any), ...modes.map((m) => `${shown[m]?.text}|${Math.round((shown[m]?.ms ?? 0) / 1000)}|${differs[m] ?? ''}`)].join('\u0000');
      const row = rows.get(rowKey);
      if (row) row.go.push(any.axes.go);
      else rows.set(rowKey, { go: [any.axes.go], column: columnOf(any), byMode: shown, differs });
    }
    const sorted = [...rows.values()].sort((a, b) => a.column.localeCompare(b.column) || a.go[0]!.localeCompare(b.go[0]!, undefined, { numeric: true }));
    for (const r of sorted) r.go.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    out.push({ scenario, modes, rows: sorted, counts });
  }
  return out.sort((a, b) => a.scenario.localeCompare(b.scenario));
}

/** "go1.19.8, go1.21.13, go1.22.12" -> "1.19, 1.21, 1.22" (minor versions are what the tables speak of). */
const goList = (gos: string[]): string => gos.map((g) => /^go(1\.\d+)/.exec(g)?.[1] ?? g).join(', ');

const MODE_TITLES: Record<StubMode, string> = { real: 'real systemd-resolved', emulated: 'emulated stub', passthrough: 'passthrough stub' };
const esc = (s: string) => s.replace(/\|/g, '\\|');

/** Markdown: per scenario, a table of outcomes by stub, "≠" where a stand-in differs from the real stub. */
export function renderStubComparison(run: RunResult, summaries: Map<string, string> = new Map(), heading = '##'): string {
  const comps = compareStubs(run);
  if (comps.length === 0) return '';
  const out: string[] = [];
  out.push(`${heading} The real systemd-resolved against its stand-ins`, '');
  out.push(
    'Per scenario with a `resolved` server: what the probe got with the real systemd-resolved on 127.0.0.53 (forwarding to the fake upstream), with the emulated stub (a fake server doing what the scenario says the real one does) and, where run, with the passthrough stub (the upstream\'s behaviour shown to the client directly, as a naive emulation would). ≠ marks an outcome that differs from the real stub\'s (other words, or a time off by more than 0.5 s and 20%).',
    '',
  );
  out.push('| scenario | emulated = real | passthrough = real |', '|---|---|---|');
  for (const c of comps) {
    const cell = (m: StubMode) => {
      const n = c.counts[m];
      return n ? `${n.compared - n.differing}/${n.compared}${n.differing ? ' ≠' : ''}` : '';
    };
    out.push(`| [${c.scenario}](#${c.scenario}-stubs) | ${cell('emulated')} | ${cell('passthrough')} |`);
  }
  out.push('');
  for (const c of comps) {
    out.push(`<a id="${c.scenario}-stubs"></a>`, '', `${heading}# ${c.scenario}`, '');
    const summary = summaries.get(c.scenario);
    if (summary) out.push(esc(summary.trim()), '');
    out.push(`| Go | cells | ${c.modes.map((m) => MODE_TITLES[m]).join(' | ')} |`, `|---|---|${c.modes.map(() => '---').join('|')}|`);
    for (const r of c.rows) {
      const cols = c.modes.map((m) => {
        const o = r.byMode[m];
        if (!o) return '';
        return `${r.differs[m] ? '≠ ' : ''}${esc(o.text)}${timeText(o.ms)}`;
      });
      out.push(`| ${goList(r.go)} | ${esc(r.column)} | ${cols.join(' | ')} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
