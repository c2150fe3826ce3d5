import type { QueryRecord } from './query-log.js';

/** One query on one line, dig-like, for people: when, from where, what was asked, what was done. */
export function formatQuery(q: QueryRecord): string {
  const t = `+${q.time.toFixed(1)}ms`.padStart(10);
  const conn = q.connection !== undefined ? `#${q.connection}` : '';
  const route = `${q.transport}${conn} ${q.client.address}:${q.client.port} -> ${q.server.address}:${q.server.port}`;
  if (q.malformed) return `${t} ${route} malformed (${q.length} bytes): ${q.malformed} -> ${q.action}`;
  const flags = [q.flags?.rd ? 'rd' : '', q.flags?.ad ? 'ad' : '', q.flags?.cd ? 'cd' : ''].filter(Boolean).join(' ');
  const edns = q.edns ? `edns=${q.edns.udpSize}${q.edns.do ? ' do' : ''}` : 'no-edns';
  const asked = `id=${q.id} ${q.qtype} ${q.qname} ${edns}${flags ? ` ${flags}` : ''}`;
  const delay = q.delayMs > 0 ? ` after ${q.delayMs}ms` : '';
  const r = q.response;
  const did = r
    ? `${q.action}${delay}: ${r.rcode}${r.flags.tc ? ' tc' : ''}${r.flags.ra ? '' : ' no-ra'} an=${r.answers} len=${r.length}`
    : `${q.action}${delay}: no reply${q.garbageBytes ? ` (${q.garbageBytes} random bytes sent)` : ''}`;
  return `${t} ${route} ${asked} -> ${did}`;
}
