import { settingsPhrases } from '../plan/axes.js';
import type { CellResult } from '../results/model.js';
import { cellOutcome, ipv6SeenBy, type CellCode } from '../results/outcome-code.js';
import { cellPaths } from './grid.js';

/**
 * "What works" under a scenario's table: which resolver, with which setting, on which Go versions
 * gets a working lookup, as version ranges over the Go versions the run had. Computed from the
 * cells alone, so it says what was measured, never what someone believed.
 */

/** The resolver a cell's lookups went through: Go's own, or a C library (with its version) via cgo. */
export interface Resolver {
  /** go, glibc, musl; "go+glibc" and the like when the lookups of a cell took both paths. */
  family: string;
  version: string;
}

export function resolverOf(c: CellResult): Resolver {
  const paths = cellPaths(c);
  const libc = c.libc ?? { name: c.axes.libc?.startsWith('musl') ? 'musl' : 'glibc', version: c.axes.libc?.replace(/^musl-/, '') ?? '' };
  if (paths.length === 0) return { family: 'none', version: '' };
  return { family: paths.map((p) => (p === 'go' ? 'go' : libc.name)).join('+'), version: paths.includes('cgo') ? libc.version : '' };
}

/** Resolvers as a reader names them: "Go's resolver", "glibc and musl 1.2.3, 1.2.5 via cgo". */
function resolverNames(rs: Resolver[]): string {
  const byFamily = new Map<string, string[]>();
  for (const r of rs) byFamily.set(r.family, [...new Set([...(byFamily.get(r.family) ?? []), r.version])]);
  const libcs: string[] = [];
  const others: string[] = [];
  for (const [family, versions] of byFamily) {
    const v = versions.filter(Boolean).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).join(', ');
    if (family === 'none') others.push('no resolver (the probe declared none)');
    else if (family === 'go') others.push("Go's resolver");
    else if (family.startsWith('go+')) others.push(`Go's resolver and ${family.slice(3)}${v ? ` ${v}` : ''} via cgo`);
    else libcs.push(`${family}${v ? ` ${v}` : ''}`);
  }
  return joinAnd([...others, ...(libcs.length ? [`${joinAnd(libcs)} via cgo`] : [])]);
}

/** The settings beyond CGO_ENABLED, netdns and the C library that a cell ran with, as a reader would write them. */
export const variantOf = (c: CellResult): string[] => settingsPhrases(c.axes, ['godebug', 'tags', 'goModGo', 'stub']);

/**
 * Go minor versions as ranges over the ones the run had: every Go version, Go ≥ 1.23, Go ≤ 1.22,
 * Go 1.19 only, Go 1.21–1.24; a gap in `subset` splits the range.
 */
export function versionRanges(subset: number[], all: number[]): string {
  const have = new Set(subset);
  const sorted = [...new Set(all)].sort((a, b) => a - b);
  const runs: number[][] = [];
  let cur: number[] = [];
  for (const v of sorted) {
    if (have.has(v)) cur.push(v);
    else if (cur.length) (runs.push(cur), (cur = []));
  }
  if (cur.length) runs.push(cur);
  if (runs.length === 1 && runs[0]?.length === sorted.length) return 'every Go version';
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const text = runs.map((r) => {
    const lo = r[0] as number;
    const hi = r[r.length - 1] as number;
    if (lo === hi) return `1.${lo}`;
    if (hi === last && lo !== first) return `≥ 1.${lo}`;
    if (lo === first && hi !== last) return `≤ 1.${hi}`;
    return `1.${lo}–1.${hi}`;
  });
  return runs.length === 1 && runs[0]?.length === 1 ? `Go ${text[0]} only` : `Go ${text.join(', ')}`;
}

/**
 * What a cell came to, in the words of the paragraph: a working lookup ('' when plain, "slowly
 * (3.0s)", "partly (ok/nxdomain)"), or the failure ("misbehaving", "timeout after 10s").
 */
function stateOf(o: CellCode): { works: boolean; text: string } {
  const codes = [...new Set(o.lookups.map((l) => l.code))].join('/');
  const slowest = o.lookups.reduce((t, l) => (l.time.localeCompare(t, undefined, { numeric: true }) > 0 ? l.time : t), '');
  if (o.class === 'works') return { works: true, text: '' };
  if (o.class === 'degraded') return { works: true, text: codes === 'ok' ? `slowly (${slowest})` : `partly (${codes}${slowest ? `, ${slowest}` : ''})` };
  return { works: false, text: `${codes}${slowest ? ` after ${slowest}` : ''}` };
}

interface Group {
  resolver: Resolver;
  variant: string[];
  /** Per Go minor, what the cells of this group came to. */
  byMinor: Map<number, { works: boolean; text: string }>;
}

const groupKey = (r: Resolver, variant: string[]): string => `${r.family} ${r.version}|${variant.join('|')}`;
const statesKey = (g: Group): string => [...g.byMinor].sort(([a], [b]) => a - b).map(([m, s]) => `${m}:${s.works}:${s.text}`).join(' ');

/**
 * One scenario's paragraph. Cells skipped or errored in the harness say nothing and are left out.
 * `goMinors`: the Go versions of the whole run, which the ranges are stated over (a scenario that
 * ran on Go 1.27 alone worked "on Go 1.27 only", not "on every Go version").
 */
export function whatWorks(cells: CellResult[], goMinors: number[] = cells.map((c) => c.axes.goMinor)): string {
  const measured = cells.filter((c) => c.verdict !== 'skip' && c.verdict !== 'error');
  if (measured.length === 0) return '';
  const ipv6 = ipv6SeenBy(measured);
  const minors = [...new Set(goMinors)].sort((a, b) => a - b);
  const groups = new Map<string, Group>();
  for (const c of measured) {
    const resolver = resolverOf(c);
    const variant = variantOf(c);
    const key = groupKey(resolver, variant);
    const g = groups.get(key) ?? { resolver, variant, byMinor: new Map() };
    groups.set(key, g);
    const s = stateOf(cellOutcome(c, ipv6));
    const prev = g.byMinor.get(c.axes.goMinor);
    if (!prev) g.byMinor.set(c.axes.goMinor, s);
    // Cells of one group and Go version that differ (netdns unset against netdns=go) say so.
    else if (prev.works !== s.works) g.byMinor.set(c.axes.goMinor, { works: false, text: `${prev.works ? s.text : prev.text} or works, by setting` });
    else if (!prev.text.split(' or ').includes(s.text)) g.byMinor.set(c.axes.goMinor, { works: prev.works, text: [prev.text || 'at once', s.text || 'at once'].join(' or ') });
  }
  // A setting that changes nothing for a resolver is not news: drop it where it reads the same as
  // the resolver without it (GODEBUG=netedns0=0 for glibc).
  for (const [key, g] of groups) {
    if (g.variant.length === 0) continue;
    const base = groups.get(groupKey(g.resolver, []));
    if (base && statesKey(base) === statesKey(g)) groups.delete(key);
  }
  const all = [...groups.values()];
  if (all.every((g) => statesKey(g) === statesKey(all[0] as Group)) && all.every((g) => [...g.byMinor.values()].every((s) => s.works && !s.text)) && all[0]?.byMinor.size === minors.length) {
    return `What works: every resolver and setting in this run, on every Go version. ${defaultPaths(measured, minors)}`.trim();
  }
  // Each group as phrases "STATE on RANGE"; groups that read the same are told once.
  const phrases = (g: Group, works: boolean): string[] => {
    const byText = new Map<string, number[]>();
    for (const [minor, s] of [...g.byMinor].sort(([a], [b]) => a - b)) if (s.works === works) byText.set(s.text, [...(byText.get(s.text) ?? []), minor]);
    return [...byText].map(([text, ms]) => (works ? `on ${versionRanges(ms, minors)}${text ? ` (${text})` : ''}` : `${text} on ${versionRanges(ms, minors)}`));
  };
  const told = (works: boolean): string[] => {
    const byPhrase = new Map<string, Group[]>();
    for (const g of all.sort(byResolverThenVariant)) {
      const p = phrases(g, works).join('; ');
      if (p) byPhrase.set(p, [...(byPhrase.get(p) ?? []), g]);
    }
    return [...byPhrase].map(([p, gs]) => {
      // Resolvers that share a variant are named together: "musl 1.2.3 and 1.2.5 via cgo".
      const byVariant = new Map<string, Group[]>();
      for (const g of gs) byVariant.set(g.variant.join(' and '), [...(byVariant.get(g.variant.join(' and ')) ?? []), g]);
      const names = [...byVariant].map(([v, list]) => `${resolverNames(list.map((g) => g.resolver))}${v ? ` with ${v}` : ''}`);
      return `${joinAnd(names)}${works ? ' ' : ': '}${p}`;
    });
  };
  const good = told(true);
  const bad = told(false);
  const out = [good.length ? `What works: ${good.join('. ')}.` : 'What works: nothing; no resolver and setting in this run got a working lookup.'];
  if (bad.length) out.push(`What fails: ${bad.join('. ')}.`);
  const defaults = defaultPaths(measured, minors);
  if (defaults) out.push(defaults);
  return out.join(' ');
}

const ORDER: Record<string, number> = { go: 0, glibc: 1, musl: 2 };
const byResolverThenVariant = (a: Group, b: Group): number =>
  (ORDER[a.resolver.family] ?? 3) - (ORDER[b.resolver.family] ?? 3) || a.variant.length - b.variant.length || a.variant.join().localeCompare(b.variant.join()) || a.resolver.version.localeCompare(b.resolver.version, undefined, { numeric: true });

function joinAnd(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Which path a build with nothing set (netdns unset, no extra setting, the system's glibc) takes. */
function defaultPaths(cells: CellResult[], minors: number[]): string {
  const plain = cells.filter((c) => c.axes.netdns === 'default' && variantOf(c).filter((v) => !v.startsWith('behind')).length === 0 && !c.axes.libc);
  const parts: string[] = [];
  for (const cgo of ['0', '1'] as const) {
    const byPath = new Map<string, number[]>();
    for (const m of minors) {
      const paths = [...new Set(plain.filter((c) => c.axes.cgo === cgo && c.axes.goMinor === m).flatMap(cellPaths))];
      if (paths.length === 0) continue;
      const key = paths.map((p) => (p === 'go' ? "Go's resolver" : 'cgo')).join(' and ');
      byPath.set(key, [...(byPath.get(key) ?? []), m]);
    }
    if (byPath.size) parts.push(`CGO_ENABLED=${cgo} takes ${[...byPath].map(([p, ms]) => `${p} on ${versionRanges(ms, minors)}`).join(', ')}`);
  }
  return parts.length ? `With netdns unset: ${parts.join('; ')}.` : '';
}
