/**
 * The platform axis side by side: per scenario and setting, what the newest Go in the run got on
 * the host and on each platform (another release's glibc, NSS modules and systemd-resolved), and
 * for the scenarios with a real stub, each release's systemd-resolved beside the emulation.
 */
import { isPlain, settingsLabels } from '../plan/axes.js';
import { HOST_PLATFORM, PLATFORMS } from '../provision/platform.js';
import type { CellResult, RunResult } from '../results/model.js';
import { CLASS_MARK, cellOutcome } from '../results/outcome-code.js';
import { VERDICT_MARK, cellPaths } from './grid.js';
import { outcomeText, sameOutcome } from './stub-compare.js';

const ORDER = [HOST_PLATFORM, ...PLATFORMS.map((p) => p.name)];
const platformOf = (c: CellResult): string => c.axes.platform ?? HOST_PLATFORM;
const esc = (s: string) => s.replace(/\|/g, '\\|');
const goMinor = (v: string): number => Number(/^go1\.(\d+)/.exec(v)?.[1] ?? 0);

/** The platforms a run's cells name, host first, then in release order. */
export const runPlatforms = (run: RunResult): string[] => ORDER.filter((p) => run.cells.some((c) => platformOf(c) === p));

/** A platform's column title: its name, glibc and resolved as the run recorded them. */
export function platformTitle(run: RunResult, name: string): string {
  if (name === HOST_PLATFORM) return `host (${run.meta.host.glibc}${run.meta.resolved && !run.meta.resolved.startsWith('unavailable') ? `, ${run.meta.resolved.replace(/ \(.*/, '')}` : ''})`;
  const m = run.meta.platforms?.find((p) => p.name === name);
  return m?.glibc ? `${name} (glibc ${m.glibc}${m.resolved.startsWith('unavailable') ? '' : `, ${m.resolved.replace(/ \(.*/, '')}`})` : name;
}

/** A cell as the tables write it: the outcome mark and words, the path, the time, and its verdict mark. */
function cellWords(c: CellResult | undefined): string {
  if (!c) return '';
  if (c.verdict === 'skip' || c.verdict === 'error') return esc(outcomeText(c));
  const ms = c.lookups.reduce((s, l) => s + l.elapsedMs, 0);
  const time = ms >= 250 ? ` ${(ms / 1000).toFixed(1)} s` : '';
  return `${CLASS_MARK[cellOutcome(c).class]} ${esc(outcomeText(c))} ${cellPaths(c).join('/')}${time}${VERDICT_MARK[c.verdict] ? ` ${VERDICT_MARK[c.verdict]}` : ''}`;
}

/** What the real stub sent its upstreams: the EDNS0 sizes of its queries (the wire where releases differ most). */
function upstreamEdns(c: CellResult): string {
  const sizes = [...new Set(c.queries.flat().map((q) => (q.edns ? String(q.edns.udpSize) : q.qname ? 'none' : '')).filter(Boolean))];
  return sizes.length ? `; upstream EDNS ${sizes.join('/')}` : '';
}

export interface PlatformRow {
  scenario: string;
  /** cgo · netdns (· stub=real where the scenario has one). */
  setting: string;
  cells: Map<string, CellResult>;
  /** Whether any two platforms' outcomes differ (words, or time beyond 0.5 s / 20%). */
  differs: boolean;
}

/**
 * For the newest Go: one row per scenario and setting (no extra GODEBUG, tags or go line, glibc,
 * the real stub where there is one), one cell per platform.
 */
export function platformRows(run: RunResult): { go: string; platforms: string[]; rows: PlatformRow[] } {
  const platforms = runPlatforms(run);
  const go = [...new Set(run.cells.map((c) => c.axes.go))].sort((a, b) => goMinor(a) - goMinor(b)).at(-1) ?? '';
  const rows = new Map<string, PlatformRow>();
  for (const c of run.cells) {
    const a = c.axes;
    if (a.go !== go || a.libc || !isPlain(a, ['godebug', 'tags', 'goModGo']) || (a.stub && a.stub !== 'real')) continue;
    const setting = settingsLabels(a, ['cgo', 'netdns', 'stub']).join(' · ');
    const key = `${a.scenario}|${setting}`;
    const row = rows.get(key) ?? { scenario: a.scenario, setting, cells: new Map(), differs: false };
    row.cells.set(platformOf(c), c);
    rows.set(key, row);
  }
  const out = [...rows.values()].filter((r) => r.cells.size > 1 || !r.cells.has(HOST_PLATFORM));
  for (const r of out) {
    const measured = [...r.cells.values()].filter((c) => c.verdict !== 'skip' && c.verdict !== 'error');
    r.differs = measured.some((c) => !sameOutcome(c, measured[0] as CellResult) || cellPaths(c).join() !== cellPaths(measured[0] as CellResult).join());
  }
  return { go, platforms, rows: out.sort((x, y) => x.scenario.localeCompare(y.scenario) || x.setting.localeCompare(y.setting, undefined, { numeric: true })) };
}

/** Markdown: the rows where platforms differ, each platform a column; then how many agree. */
export function renderPlatformTable(run: RunResult): string {
  const { go, platforms, rows } = platformRows(run);
  if (platforms.length < 2 && !platforms.some((p) => p !== HOST_PLATFORM)) return '';
  const differing = rows.filter((r) => r.differs);
  const out = [
    `## Between platforms (${go})`,
    '',
    `Per scenario and setting, what ${go} got on each platform: the host, and each Debian release's glibc, NSS modules and systemd-resolved (\`--platform\`). Only the settings where the platforms differ are listed: the outcome, the addresses or the error words, the path Go declared and the time from 0.25 s; ✗ where that is not what the scenario expects.`,
    '',
  ];
  if (differing.length === 0) out.push(`The ${rows.length} settings compared behaved the same on every platform.`, '');
  else {
    out.push(`| scenario | setting | ${platforms.map((p) => esc(platformTitle(run, p))).join(' | ')} |`, `|---|---|${platforms.map(() => '---').join('|')}|`);
    for (const r of differing) out.push(`| ${r.scenario} | ${esc(r.setting)} | ${platforms.map((p) => cellWords(r.cells.get(p))).join(' | ')} |`);
    out.push('', `${differing.length} of the ${rows.length} settings compared differ between platforms; the other ${rows.length - differing.length} behaved the same on each.`, '');
  }
  return `${out.join('\n')}\n`;
}

/**
 * The real systemd-resolved of each release beside the emulated stub: per scenario with a
 * `resolved` server and setting, the newest Go's outcome behind the emulation (host) and behind
 * the real resolved of the host and of each platform, ≠ where a real one differs from the emulation.
 */
export function renderResolvedReleases(run: RunResult): string {
  const reals = runPlatforms(run).filter((p) => run.cells.some((c) => c.axes.stub === 'real' && platformOf(c) === p));
  if (reals.length < 2) return '';
  const go = [...new Set(run.cells.map((c) => c.axes.go))].sort((a, b) => goMinor(a) - goMinor(b)).at(-1) ?? '';
  type Row = { scenario: string; setting: string; emulated?: CellResult; real: Map<string, CellResult> };
  const rows = new Map<string, Row>();
  for (const c of run.cells) {
    const a = c.axes;
    if (a.go !== go || !a.stub || a.libc || !isPlain(a, ['godebug', 'tags', 'goModGo'])) continue;
    if (a.stub === 'passthrough') continue;
    const setting = settingsLabels(a, ['cgo', 'netdns']).join(' · ');
    const key = `${a.scenario}|${setting}`;
    const row: Row = rows.get(key) ?? { scenario: a.scenario, setting, real: new Map() };
    // The emulation's column: the host's cell, else the first platform's (what the probe's own C library adds differs).
    if (a.stub === 'emulated') {
      if (!row.emulated || (row.emulated.axes.platform && ORDER.indexOf(platformOf(c)) < ORDER.indexOf(platformOf(row.emulated)))) row.emulated = c;
    }
    else row.real.set(platformOf(c), c);
    rows.set(key, row);
  }
  const version = (p: string): string => {
    const c = [...rows.values()].map((r) => r.real.get(p)).find((x) => x?.resolved);
    return c?.resolved?.version.replace(/ \(.*/, '') ?? platformTitle(run, p);
  };
  const out = [
    `## systemd-resolved releases side by side (${go})`,
    '',
    `Per scenario with a real stub and setting: what ${go} got behind the emulated stub, and behind the real systemd-resolved of the host and of each platform (${reals.map((p) => `${p}: ${version(p)}`).join(', ')}); ≠ marks a real resolved whose outcome differs from the emulation.`,
    '',
    `| scenario | setting | emulated | ${reals.map((p) => esc(`${p === HOST_PLATFORM ? 'host' : p} real (${version(p)})`)).join(' | ')} |`,
    `|---|---|---|${reals.map(() => '---').join('|')}|`,
  ];
  let differ = 0;
  const sorted = [...rows.values()].filter((r) => r.real.size > 0).sort((x, y) => x.scenario.localeCompare(y.scenario) || x.setting.localeCompare(y.setting, undefined, { numeric: true }));
  for (const r of sorted) {
    const cells = reals.map((p) => {
      const c = r.real.get(p);
      if (!c) return '';
      const ne = r.emulated && c.verdict !== 'skip' && r.emulated.verdict !== 'skip' && !sameOutcome(c, r.emulated);
      if (ne) differ++;
      return `${ne ? '≠ ' : ''}${cellWords(c)}${upstreamEdns(c)}`;
    });
    out.push(`| ${r.scenario} | ${esc(r.setting)} | ${cellWords(r.emulated)} | ${cells.join(' | ')} |`);
  }
  out.push('', `${differ} real-stub cells differ from the emulation.`, '');
  return `${out.join('\n')}\n`;
}
