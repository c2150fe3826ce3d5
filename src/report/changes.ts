/**
 * What changed between Go versions: for each pair of adjacent Go versions in a run, every
 * scenario and build setting whose behaviour (outcome, error text, path, wire, EDNS size, time)
 * differs, with the cells and their repro commands.
 */
import { PLATFORMS } from '../provision/platform.js';
import type { CellResult, RunResult } from '../results/model.js';
import { compareSignatures, signatureOf, type SignatureChange } from '../results/signature.js';

export interface GoChange {
  scenario: string;
  /** The cell id without scenario and Go version: cgo=1:netdns=default:godebug=netedns0=0. */
  setting: string;
  changes: SignatureChange[];
  before: CellResult;
  after: CellResult;
}

export interface GoStep {
  /** go1.19.8 -> go1.21.13 */
  from: string;
  to: string;
  /** Cells compared in this step (both measured). */
  compared: number;
  changed: GoChange[];
}

const settingOf = (c: CellResult): string => c.id.split(':').filter((p, i) => i > 0 && !/^go\d/.test(p)).join(':');
const measured = (c: CellResult): boolean => c.verdict !== 'skip' && c.verdict !== 'error';

/** Adjacent Go versions (by minor) of the run, each compared cell by cell with the same setting. */
export function goChanges(run: RunResult): GoStep[] {
  const versions = [...new Map(run.cells.map((c) => [c.axes.goMinor, c.axes.go])).entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
  const at = new Map<string, CellResult>();
  for (const c of run.cells) at.set(`${c.axes.go}|${c.axes.scenario}|${settingOf(c)}`, c);
  const steps: GoStep[] = [];
  for (let i = 1; i < versions.length; i++) {
    const from = versions[i - 1] as string;
    const to = versions[i] as string;
    const step: GoStep = { from, to, compared: 0, changed: [] };
    for (const after of run.cells) {
      if (after.axes.go !== to) continue;
      const before = at.get(`${from}|${after.axes.scenario}|${settingOf(after)}`);
      if (!before || !measured(before) || !measured(after)) continue;
      step.compared++;
      const changes = compareSignatures(signatureOf(before), signatureOf(after));
      if (changes.length) step.changed.push({ scenario: after.axes.scenario, setting: settingOf(after), changes, before, after });
    }
    step.changed.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.setting.localeCompare(b.setting, undefined, { numeric: true }));
    steps.push(step);
  }
  return steps;
}

const FIELD_WORDS: Record<SignatureChange['field'], string> = { outcome: 'outcome', error: 'error', path: 'path (declared/observed)', wire: 'queries (per server)', opt: 'EDNS0 size', ms: 'time' };
const esc = (s: string) => s.replace(/\|/g, '\\|');
const minor = (v: string): string => /^go(1\.\d+)/.exec(v)?.[1] ?? v;

/** The changes of a step as "field: before → after", one per changed field. */
export const changeText = (cs: SignatureChange[]): string[] => cs.map((c) => `${FIELD_WORDS[c.field]}: ${c.before || '(none)'} → ${c.after || '(none)'}`);

/**
 * Markdown: a summary table of the steps, then per step and scenario the changes, settings with
 * the same change told once, each with the repro command of one of its cells after the change.
 */
export function renderChanges(run: RunResult, heading = '##'): string {
  return `${renderGoChanges(run, heading)}${renderPlatformChanges(run, heading)}`;
}

function renderGoChanges(run: RunResult, heading: string): string {
  const steps = goChanges(run);
  const out: string[] = [];
  if (steps.length === 0) return 'This run has one Go version: nothing to compare.\n';
  out.push('| Go | cells compared | changed | scenarios | what changed |', '|---|---|---|---|---|');
  for (const s of steps) {
    const fields = new Map<string, number>();
    for (const c of s.changed) for (const f of c.changes) fields.set(FIELD_WORDS[f.field], (fields.get(FIELD_WORDS[f.field]) ?? 0) + 1);
    const scenarios = new Set(s.changed.map((c) => c.scenario)).size;
    out.push(`| [${minor(s.from)} → ${minor(s.to)}](#go-${minor(s.from).replace('.', '')}-to-${minor(s.to).replace('.', '')}) | ${s.compared} | ${s.changed.length} | ${scenarios} | ${[...fields].map(([f, n]) => `${f} ${n}`).join(', ') || '-'} |`);
  }
  out.push('');
  for (const s of steps) {
    out.push(`<a id="go-${minor(s.from).replace('.', '')}-to-${minor(s.to).replace('.', '')}"></a>`, '', `${heading} Go ${minor(s.from)} → ${minor(s.to)} (${s.from} → ${s.to})`, '');
    if (s.changed.length === 0) {
      out.push(`No behaviour changed in the ${s.compared} cells compared.`, '');
      continue;
    }
    const byScenario = new Map<string, GoChange[]>();
    for (const c of s.changed) byScenario.set(c.scenario, [...(byScenario.get(c.scenario) ?? []), c]);
    for (const [scenario, list] of byScenario) {
      out.push(`${heading}# ${scenario} (${minor(s.from)} → ${minor(s.to)})`, '', '| settings | what changed | repro (after) |', '|---|---|---|');
      const byText = new Map<string, GoChange[]>();
      for (const c of list) {
        const k = changeText(c.changes).join('<br>');
        byText.set(k, [...(byText.get(k) ?? []), c]);
      }
      for (const [text, cs] of byText) {
        const settings = cs.map((c) => `\`${c.setting}\``).join(', ');
        out.push(`| ${esc(settings)} | ${esc(text)} | \`${esc((cs[0] as GoChange).after.repro)}\` |`);
      }
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}

/** The platforms of the run in release order (the host, which is no release of the table, left out). */
const PLATFORM_ORDER = PLATFORMS.map((p) => p.name);

export interface PlatformStep {
  /** debian-11 -> debian-12 */
  from: string;
  to: string;
  compared: number;
  /** `setting` here is the cell id without scenario and platform (the Go version kept). */
  changed: GoChange[];
}

/** Adjacent platforms (in release order) of the run, compared cell by cell with the same Go and setting. */
export function platformChanges(run: RunResult): PlatformStep[] {
  const present = PLATFORM_ORDER.filter((p) => run.cells.some((c) => c.axes.platform === p));
  const without = (c: CellResult): string => c.id.split(':').slice(1).filter((p) => !p.startsWith('platform=')).join(':');
  const at = new Map<string, CellResult>();
  for (const c of run.cells) if (c.axes.platform) at.set(`${c.axes.platform}|${c.axes.scenario}|${without(c)}`, c);
  const steps: PlatformStep[] = [];
  for (let i = 1; i < present.length; i++) {
    const from = present[i - 1] as string;
    const to = present[i] as string;
    const step: PlatformStep = { from, to, compared: 0, changed: [] };
    for (const after of run.cells) {
      if (after.axes.platform !== to) continue;
      const before = at.get(`${from}|${after.axes.scenario}|${without(after)}`);
      if (!before || !measured(before) || !measured(after)) continue;
      step.compared++;
      const changes = compareSignatures(signatureOf(before), signatureOf(after));
      if (changes.length) step.changed.push({ scenario: after.axes.scenario, setting: without(after), changes, before, after });
    }
    step.changed.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.setting.localeCompare(b.setting, undefined, { numeric: true }));
    steps.push(step);
  }
  return steps;
}

/** Markdown: per pair of adjacent platforms, what changed for the same Go version and setting. */
export function renderPlatformChanges(run: RunResult, heading = '##'): string {
  const steps = platformChanges(run);
  if (steps.length === 0) return '';
  const out: string[] = ['', `${heading} Between platforms`, '', 'For each pair of adjacent platforms in the run (Debian releases, oldest first), every scenario, Go version and setting whose behaviour changed from one release\'s glibc, NSS modules and systemd-resolved to the next.', ''];
  out.push('| platforms | cells compared | changed | scenarios |', '|---|---|---|---|');
  for (const s of steps) out.push(`| ${s.from} → ${s.to} | ${s.compared} | ${s.changed.length} | ${new Set(s.changed.map((c) => c.scenario)).size} |`);
  out.push('');
  for (const s of steps) {
    out.push(`${heading}# ${s.from} → ${s.to}`, '');
    if (s.changed.length === 0) {
      out.push(`No behaviour changed in the ${s.compared} cells compared.`, '');
      continue;
    }
    out.push('| scenario | Go and settings | what changed | repro (after) |', '|---|---|---|---|');
    const byText = new Map<string, GoChange[]>();
    for (const c of s.changed) {
      const k = `${c.scenario}|${changeText(c.changes).join('<br>')}`;
      byText.set(k, [...(byText.get(k) ?? []), c]);
    }
    for (const [k, cs] of byText) {
      const settings = cs.length > 6 ? `${cs.slice(0, 6).map((c) => `\`${c.setting}\``).join(', ')} and ${cs.length - 6} more` : cs.map((c) => `\`${c.setting}\``).join(', ');
      out.push(`| ${k.split('|')[0]} | ${esc(settings)} | ${esc(k.slice(k.indexOf('|') + 1))} | \`${esc((cs[0] as GoChange).after.repro)}\` |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
