import { isPlain } from '../plan/axes.js';
import type { CellResult, RunResult } from '../results/model.js';
import type { QueryRecord } from '../results/model.js';

/**
 * What each client sends, from real runs, in the manner of ISC's EDNS compliance tables but for
 * stub clients: one row per Go version x observed path. Each column is read from the scenario that
 * shows it: EDNS and AD from the Ubuntu stub (options edns0 trust-ad), A/AAAA order from a stub
 * answering 100 ms late, retries from a dropping stub (timeout:1 attempts:1), TCP fallback from
 * truncated UDP answers.
 */
export interface ClientRow {
  go: string;
  path: string;
  opt: string;
  ad: string;
  aaaa: string;
  retries: string;
  resend: string;
  tcpFallback: string;
  cells: number;
}

const SOURCES = { edns: 'ubuntu-stub-healthy', order: 'stub-slow', retries: 'stub-drops', resend: 'swapped-replies', tcp: 'truncated-tcp-ok' };

function udp(c: CellResult): QueryRecord[] {
  return c.queries.flat().filter((q) => q.transport === 'udp' && !q.malformed);
}

const uniq = (xs: string[]) => [...new Set(xs)].sort().join(', ') || 'n/a';

function aOrAaaa(c: CellResult): string {
  const q = udp(c);
  const a = q.find((x) => x.qtype === 'A');
  const aaaa = q.find((x) => x.qtype === 'AAAA');
  if (!a || !aaaa) return 'one type only';
  // The source scenario delays every answer by 100 ms: parallel means the second query left
  // before the first one's answer did.
  const [first, second] = a.time <= aaaa.time ? [a, aaaa] : [aaaa, a];
  const parallel = first.response?.sentAt !== undefined && second.time < first.response.sentAt;
  return `${parallel ? 'parallel' : `sequential (${first.qtype} first)`}, ${a.client.port === aaaa.client.port ? 'one socket' : 'two sockets'}`;
}

function retries(c: CellResult): string {
  const q = udp(c).filter((x) => x.qtype === 'A').sort((x, y) => x.time - y.time);
  if (q.length === 0) return 'n/a';
  const spacing = q.slice(1).map((x, i) => (x.time - (q[i] as QueryRecord).time) / 1000);
  return `${q.length} A ${q.length === 1 ? 'query' : 'queries'}${spacing.length ? ` at +${spacing.map((s) => s.toFixed(1)).join('/+')} s` : ''}`;
}

/** How the first query asked twice was asked again: with its ID or a new one, from its socket or a new one. */
function resend(c: CellResult): string {
  const q = udp(c).sort((x, y) => x.time - y.time);
  for (const [i, first] of q.entries()) {
    const again = q.slice(i + 1).find((x) => x.qtype === first.qtype && x.qname?.toLowerCase() === first.qname?.toLowerCase());
    if (again) return `${again.id === first.id ? 'same ID' : 'new ID'}, ${again.client.port === first.client.port ? 'same socket' : 'new socket'}`;
  }
  return 'no re-send';
}

function tcpFallback(c: CellResult): string {
  const tcp = c.queries.flat().filter((q) => q.transport === 'tcp' && !q.malformed);
  if (tcp.length === 0) return 'no';
  const connections = new Set(tcp.map((q) => q.connection)).size;
  const shape = tcp.length === 1 ? 'one query' : connections === 1 ? `${tcp.length} queries on one connection` : `a connection per query (${connections})`;
  return `yes, ${shape}, ${c.lookups[0]?.ok ? 'answered' : 'failed'}`;
}

export function clientRows(run: RunResult): ClientRow[] {
  const groups = new Map<string, CellResult[]>();
  for (const c of run.cells) {
    const path = c.observed?.path === 'go' || c.observed?.path === 'glibc' ? c.observed.path : c.lookups[0]?.declaredPath === 'cgo' ? 'glibc' : c.lookups[0]?.declaredPath === 'go' ? 'go' : '';
    if (!path) continue;
    const key = `${c.axes.go}|${path}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const rows: ClientRow[] = [];
  for (const [key, cells] of groups) {
    const [go, path] = key.split('|') as [string, string];
    const of = (scenario: string) => cells.filter((c) => c.axes.scenario === scenario && isPlain(c.axes, ['godebug', 'goModGo']));
    const edns = of(SOURCES.edns);
    rows.push({
      go,
      path,
      opt: uniq(edns.flatMap((c) => udp(c).map((q) => (q.edns ? `OPT ${q.edns.udpSize}${q.edns.do ? ' DO' : ''}` : 'no OPT')))),
      ad: uniq(edns.flatMap((c) => udp(c).map((q) => (q.flags?.ad ? 'AD' : 'no AD')))),
      aaaa: uniq(of(SOURCES.order).map(aOrAaaa)),
      retries: uniq(of(SOURCES.retries).map(retries)),
      resend: uniq(of(SOURCES.resend).map(resend)),
      tcpFallback: uniq(of(SOURCES.tcp).map(tcpFallback)),
      cells: cells.length,
    });
  }
  return rows.sort((a, b) => a.go.localeCompare(b.go, undefined, { numeric: true }) || a.path.localeCompare(b.path));
}

export function renderClientTable(run: RunResult): string {
  const out = ['# What each client sends', '', `From ${run.meta.startedAt} on ${run.meta.host.distro} (${run.meta.host.glibc}). Path: as observed on the wire (see src/observe/fingerprint.ts).`, ''];
  out.push(`| Go | path | EDNS (${SOURCES.edns}) | AD | A and AAAA (${SOURCES.order}) | retries (${SOURCES.retries}: timeout:1 attempts:1) | asking again (${SOURCES.resend}) | TCP after TC (${SOURCES.tcp}) |`);
  out.push('|---|---|---|---|---|---|---|---|');
  for (const r of clientRows(run)) out.push(`| ${r.go} | ${r.path} | ${r.opt} | ${r.ad} | ${r.aaaa} | ${r.retries} | ${r.resend} | ${r.tcpFallback} |`);
  return `${out.join('\n')}\n`;
}
