import { fingerprintVotes, FINGERPRINT_RULES, type FingerprintRule } from '../observe/fingerprint.js';
import type { RunResult } from '../results/model.js';

/**
 * The measurements behind each fingerprint rule: for every Go version and declared path, in how
 * many cells each rule fired. A sound rule fires only in rows of the client it names; the table
 * shows that it does, version by version, on this machine's glibc.
 */
export interface FingerprintRow {
  go: string;
  declared: 'go' | 'cgo';
  cells: number;
  /** Cells with at least one query on the wire. */
  withQueries: number;
  fired: Record<FingerprintRule, number>;
}

const RULES = Object.keys(FINGERPRINT_RULES) as FingerprintRule[];

export function fingerprintRows(run: RunResult): FingerprintRow[] {
  const rows = new Map<string, FingerprintRow>();
  for (const c of run.cells) {
    // Behind the real systemd-resolved the fake servers saw resolved's queries, not the client's.
    if (c.axes.stub === 'real') continue;
    const declared = new Set(c.lookups.map((l) => l.declaredPath));
    // Only cells whose lookups all took one known path say which client a rule belongs to.
    if (declared.size !== 1) continue;
    const path = [...declared][0];
    if (path !== 'go' && path !== 'cgo') continue;
    const key = `${c.axes.go}|${path}`;
    let row = rows.get(key);
    if (!row) {
      row = { go: c.axes.go, declared: path, cells: 0, withQueries: 0, fired: Object.fromEntries(RULES.map((r) => [r, 0])) as Record<FingerprintRule, number> };
      rows.set(key, row);
    }
    row.cells++;
    const queries = c.queries.flat();
    if (queries.some((q) => !q.malformed)) row.withQueries++;
    for (const rule of new Set(fingerprintVotes(queries).map((v) => v.rule))) row.fired[rule]++;
  }
  return [...rows.values()].sort((a, b) => a.go.localeCompare(b.go, undefined, { numeric: true }) || a.declared.localeCompare(b.declared));
}

/** A rule that fired in a row of the other client is a broken rule: the cell says so. */
function mark(row: FingerprintRow, rule: FingerprintRule): string {
  const n = row.fired[rule];
  const own = FINGERPRINT_RULES[rule].client === (row.declared === 'cgo' ? 'glibc' : 'go');
  return n === 0 ? '0' : own ? String(n) : `**${n} (wrong client)**`;
}

export function renderFingerprintTable(run: RunResult): string {
  const out = [
    '# Fingerprint rules against the declared path',
    '',
    `From ${run.meta.startedAt} on ${run.meta.host.distro} (${run.meta.host.glibc}), ${run.cells.length} cells. Each row: the cells whose lookups Go declared on one path (its netdns trace); each column: in how many of them the rule fired. A rule is sound when it fires only in rows of the client it names.`,
    '',
    `| Go | declared | cells (with queries) | ${RULES.map((r) => `${FINGERPRINT_RULES[r].text} (${FINGERPRINT_RULES[r].client})`).join(' | ')} |`,
    `|---|---|---|${RULES.map(() => '---').join('|')}|`,
  ];
  for (const r of fingerprintRows(run)) out.push(`| ${r.go} | ${r.declared} | ${r.cells} (${r.withQueries}) | ${RULES.map((rule) => mark(r, rule)).join(' | ')} |`);
  return `${out.join('\n')}\n`;
}
