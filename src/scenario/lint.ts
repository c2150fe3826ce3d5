/**
 * Loose expectations pass cells whose behaviour changed. The lint names each pattern that lets
 * that happen, with the file, line and entry, so a scenario states what a change would break.
 */
import { readFileSync } from 'node:fs';
import { AXES, versionMatches } from '../plan/axes.js';
import { positionIn } from './load.js';
import type { Expectation, Scenario, When } from './schema.js';

export interface LintProblem {
  scenario: string;
  /** file:line:column of the entry (or the scenario). */
  where: string;
  /** Index in `expect`, -1 for the scenario as a whole. */
  entry: number;
  rule: LintRule;
  message: string;
}

export const LINT_RULES = {
  'when-path': 'an entry selects cells by the path Go took, so the path is never checked',
  'error-wording': 'an error result without the error\'s words',
  'path-unasserted': 'no path asserted where the cells it selects can take either path',
  'no-time-bound': 'no minMs and maxMs in a scenario that waits on a timeout',
  'catch-all': 'an entry that selects no build setting, after or before others',
  'go-never': 'a `go` list that no Go version satisfies (its items must all hold), so the item selects nothing',
} as const;
export type LintRule = keyof typeof LINT_RULES;

/** The fields of `when` that select by how the program was built and run (not the lookup). */
const SETTINGS: Array<keyof When> = ['go', ...AXES.map((x) => x.key)];

/** Fault actions after which some client waits out a timeout (its own, or the next server's). */
const WAITING_ACTIONS = new Set(['drop', 'delay', 'swap-parallel', 'wrong-id', 'wrong-question', 'garbage', 'tcp-close', 'truncate']);

/** Only Go's resolver can run there: CGO_ENABLED=0, netdns=go, or -tags netgo. */
const goOnly = (w: When): boolean => w.cgo === '0' || (w.netdns !== undefined && w.netdns.every((n) => n === 'go')) || w.tags === 'netgo';

/** Whether the scenario's cells wait on a timeout somewhere: a fault that makes a client wait, a nameserver nobody serves, or an expected timeout. */
export function waitsOnTimeout(s: Scenario): string | undefined {
  for (const srv of s.servers) for (const r of srv.rules ?? []) if (WAITING_ACTIONS.has(r.action)) return `its server rule "${r.action}"`;
  for (const r of s.resolved?.emulation?.rules ?? []) if (WAITING_ACTIONS.has(r.action)) return `its stub emulation's rule "${r.action}"`;
  const served = new Set(s.servers.flatMap((srv) => srv.listen.map((l) => l.replace(/\/(udp|tcp)$/, '').replace(/:53$/, ''))));
  if (s.resolved) served.add('127.0.0.53');
  const resolv = s.files['resolv.conf'] ?? s.files['/etc/resolv.conf'];
  for (const m of (resolv ?? '').matchAll(/^\s*nameserver\s+(\S+)/gm)) {
    const addr = (m[1] ?? '').replace(/^\[|\]$/g, '');
    if (!served.has(addr) && !served.has(`[${addr}]`)) return `its nameserver ${addr}, which nothing serves`;
  }
  if (s.expect.some((e) => e.result === 'timeout')) return 'an expected timeout';
  return undefined;
}

/** Go minors far past any release: a `go` list none of these satisfies selects no cell at all. */
const MINORS = Array.from({ length: 100 }, (_, i) => i);
const neverHolds = (go: string[]): boolean => !MINORS.some((m) => go.every((r) => versionMatches(m, r)));

/** Two entries can speak for the same lookup (an item without `lookup` speaks for all). */
const overlap = (a: Expectation, b: Expectation): boolean => a.when.some((x) => b.when.some((y) => !x.lookup || !y.lookup || x.lookup === y.lookup));

export function lintScenario(s: Scenario, text: string = readFileSync(s.source, 'utf8')): LintProblem[] {
  const out: LintProblem[] = [];
  const at = (i: number, path: PropertyKey[] = []) => `${s.source}:${positionIn(text, ['expect', i, ...path])}`;
  const add = (i: number, rule: LintRule, message: string, path: PropertyKey[] = []) => out.push({ scenario: s.name, where: at(i, path), entry: i, rule, message });
  const waits = waitsOnTimeout(s);
  s.expect.forEach((e: Expectation, i) => {
    e.when.forEach((w, j) => {
      if (w.path !== undefined) add(i, 'when-path', `when.path: ${w.path} picks the cells by the path Go took, so a cell that took the other path is held to another entry instead of failing; select them by build settings (cgo, netdns, go, tags, libc) and assert path: ${w.path}`, ['when', ...(e.when.length > 1 ? [j] : []), 'path']);
    });
    e.when.forEach((w, j) => {
      if (w.go && neverHolds(w.go)) add(i, 'go-never', `go: [${w.go.join(', ')}] holds for no Go version: every item of go must hold (they narrow, as ">=1.21" and "<1.23" do), so this item selects no cell; for several versions write a span ("1.21-1.22") or one when item per version`, ['when', ...(e.when.length > 1 ? [j] : []), 'go']);
    });
    if (e.result !== 'ok' && e.error === undefined) add(i, 'error-wording', `result: ${e.result} with no error: any failure would do; give the words Go reports (error: "server misbehaving", or a /regex/)`, ['result']);
    if (e.path === undefined && !e.when.every((w) => goOnly(w) || w.path !== undefined)) add(i, 'path-unasserted', 'no path: the cells this entry selects can take Go\'s resolver or cgo, and either would pass; assert path: go or path: cgo (split the entry where both occur)');
    if (waits && (e.minMs === undefined || e.maxMs === undefined)) {
      add(i, 'no-time-bound', `the scenario waits on a timeout (${waits}), and this entry has no ${e.minMs === undefined && e.maxMs === undefined ? 'minMs and maxMs' : e.minMs === undefined ? 'minMs' : 'maxMs'}: an extra retry round, or a wait that no longer happens, would pass; bound it from both sides by the measured time`);
    }
    const open = e.when.some((w) => SETTINGS.every((k) => w[k] === undefined));
    if (open && s.expect.some((x, k) => k !== i && overlap(x, e))) add(i, 'catch-all', `this entry selects no build setting (${SETTINGS.join(', ')}), so it takes every cell the others did not: a cell that changed falls into it; name the cells it speaks for`, ['when']);
  });
  return out;
}

export function renderLint(problems: LintProblem[], scenarios: number): string {
  const lines = problems.map((p) => `${p.where}: ${p.rule}: ${p.message}`);
  const byRule = new Map<string, number>();
  for (const p of problems) byRule.set(p.rule, (byRule.get(p.rule) ?? 0) + 1);
  const files = new Set(problems.map((p) => p.scenario)).size;
  lines.push(problems.length ? `${problems.length} problem(s) in ${files} of ${scenarios} scenario(s): ${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}` : `${scenarios} scenario(s): no loose expectations`);
  return `${lines.join('\n')}\n`;
}
