import type { QueryRecord } from './model.js';
import type { WireExpect } from '../scenario/schema.js';

/** The names a lookup's queries carry: the name itself, with a search domain added, or the reverse name of an address. */
export function lookupQname(lookup: string): { kind: string; name: string } {
  const [kind = '', arg = ''] = lookup.trim().split(/\s+/);
  if (kind !== 'addr') return { kind, name: arg.toLowerCase().replace(/\.$/, '') };
  if (arg.includes(':')) {
    // An IPv6 address: its nibbles in reverse under ip6.arpa.
    const [head = '', tail = ''] = arg.split('::');
    const groups = (x: string) => (x ? x.split(':') : []);
    const h = groups(head);
    const tl = groups(tail);
    const full = [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl].map((g) => g.padStart(4, '0')).join('');
    return { kind, name: `${[...full].reverse().join('.')}.ip6.arpa` };
  }
  return { kind, name: `${arg.split('.').reverse().join('.')}.in-addr.arpa` };
}

/** The queries of one server that belong to the lookup. */
export function queriesFor(lookup: string, queries: QueryRecord[]): QueryRecord[] {
  const { name } = lookupQname(lookup);
  return queries.filter((q) => {
    const qn = (q.qname ?? '').toLowerCase().replace(/\.$/, '');
    return qn === name || qn.startsWith(`${name}.`);
  });
}

/** Replies held back at least this long let a reader tell parallel asks from asks in turn. */
const HELD_MS = 50;

/**
 * Whether any query came while the server held back its reply to an earlier one; undefined where
 * that cannot be seen (fewer than two queries, or no reply held back HELD_MS or more).
 */
export function overlapOf(queries: QueryRecord[]): boolean | undefined {
  const held = queries.filter((q) => q.delayMs >= HELD_MS && q.response?.sentAt !== undefined);
  if (queries.length < 2 || held.length === 0) return undefined;
  return queries.some((q) => held.some((h) => h !== q && h.time <= q.time && q.time < (h.response?.sentAt ?? 0)));
}

/** The same for a cell's server: behind the real resolved the fake servers are its upstreams, and when it asks is its own business. */
export const cellOverlap = (stub: string | undefined, queries: QueryRecord[]): boolean | undefined => (stub === 'real' ? undefined : overlapOf(queries));

/** How a report and a problem name the two ways of asking. */
export const paceWord = (overlap: boolean): string => (overlap ? 'at once' : 'in turn');

export function countMatches(want: number | string, n: number): boolean {
  if (typeof want === 'number') return n === want;
  const range = /^(\d+)-(\d+)$/.exec(want);
  if (range) return n >= Number(range[1]) && n <= Number(range[2]);
  const bound = /^(>=|<=)(\d+)$/.exec(want);
  if (!bound) return false;
  return bound[1] === '>=' ? n >= Number(bound[2]) : n <= Number(bound[2]);
}

/** What is wrong with the wire of one lookup against its expectations, in words; [] when it holds. */
export function wireProblems(lookup: string, wants: WireExpect[], servers: QueryRecord[][]): string[] {
  const problems: string[] = [];
  for (const w of wants) {
    const qs = queriesFor(lookup, servers[w.server] ?? []);
    const at = `server ${w.server}`;
    const counts: Array<[string, number | string | undefined, number]> = [
      ['queries', w.queries, qs.length],
      ['UDP queries', w.udp, qs.filter((q) => q.transport === 'udp').length],
      ['TCP queries', w.tcp, qs.filter((q) => q.transport === 'tcp').length],
    ];
    for (const [what, want, n] of counts) if (want !== undefined && !countMatches(want, n)) problems.push(`${at}: expected ${want} ${what}, saw ${n}`);
    if (w.opt !== undefined) {
      const bad = qs.filter((q) => (w.opt === 'none' ? q.edns : w.opt === 'present' ? !q.edns : q.edns?.udpSize !== w.opt));
      if (bad.length) {
        const seen = [...new Set(qs.map((q) => (q.edns ? `OPT ${q.edns.udpSize}` : 'no OPT')))].join(', ');
        problems.push(`${at}: expected ${w.opt === 'none' ? 'no OPT record' : w.opt === 'present' ? 'an OPT record' : `OPT with UDP size ${w.opt}`} in every query, saw ${seen}`);
      }
    }
    if (w.overlap !== undefined) {
      const seen = overlapOf(qs);
      if (seen === undefined) problems.push(`${at}: expected queries ${paceWord(w.overlap)}, but no reply was held back ${HELD_MS} ms or more to tell`);
      else if (seen !== w.overlap) problems.push(`${at}: expected queries ${paceWord(w.overlap)}, saw them ${seen ? 'at once (one came while a reply was held back)' : 'in turn (each after the reply before it)'}`);
    }
  }
  return problems;
}
