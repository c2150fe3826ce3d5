import { isIP } from 'node:net';
import type { Answer } from 'dns-packet';
import type { z } from 'zod';
import type { nameRecordsSchema, recordsSchema } from './options-schema.js';
import { HarnessError } from '../errors.js';

/** Validated records, as `recordsSchema` outputs them. */
export type Records = z.output<typeof recordsSchema>;
type NameRecords = z.output<typeof nameRecordsSchema>;

export type SupportedType = Exclude<keyof NameRecords, 'ttl'>;

interface Node {
  /** The owner as written in the zone, used for names the client did not send itself. */
  owner: string;
  ttl: number;
  rrsets: Map<SupportedType, unknown[]>;
}

export interface Resolution {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: Answer[];
  authorities: Answer[];
}

const MAX_CNAME_CHAIN = 16;

export function normalizeName(name: string): string {
  const n = name.trim().toLowerCase();
  if (n === '.' || n === '') return '';
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** 192.0.2.10 -> 10.2.0.192.in-addr.arpa; 2001:db8::1 -> nibble form under ip6.arpa. */
export function reverseName(ip: string): string {
  const family = isIP(ip);
  if (family === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  if (family === 6) return `${expandIPv6(ip).replace(/:/g, '').split('').reverse().join('.')}.ip6.arpa`;
  throw new HarnessError('GDH_CONFIG', `not an IP address: ${ip}`);
}

export function expandIPv6(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(missing).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

/**
 * The records a fake server answers from. Lookups are case-insensitive; CNAME chains are followed
 * inside the zone; wildcards apply at the closest encloser (RFC 4592); names that exist only as
 * parents of other names (empty non-terminals) give NODATA, not NXDOMAIN.
 */
export class Zone {
  private readonly nodes = new Map<string, Node>();
  private readonly existing = new Set<string>();

  constructor(records: Records = {}, readonly defaultTtl = 300) {
    for (const [key, value] of Object.entries(records)) {
      const ownerRaw = isIP(key) ? reverseName(key) : key.replace(/(.)\.$/, '$1');
      const owner = normalizeName(ownerRaw);
      const node: Node = { owner: ownerRaw, ttl: value.ttl ?? defaultTtl, rrsets: new Map() };
      for (const [type, raw] of Object.entries(value)) {
        if (type === 'ttl' || raw === undefined) continue;
        node.rrsets.set(type as SupportedType, Array.isArray(raw) ? raw : [raw]);
      }
      this.nodes.set(owner, node);
      for (let n = owner; n !== ''; n = parentOf(n)) this.existing.add(n);
    }
  }

  /** Answers qname/qtype from the zone; `qname` keeps the client's case in the answer. */
  resolve(qname: string, qtype: string): Resolution {
    const answers: Answer[] = [];
    let name = qname.replace(/\.$/, '');
    const seen = new Set<string>();
    for (let step = 0; step <= MAX_CNAME_CHAIN; step++) {
      const key = normalizeName(name);
      if (seen.has(key)) break; // a CNAME loop: answer with the chain so far rather than spin
      seen.add(key);
      const node = this.nodes.get(key) ?? this.wildcardFor(key);
      if (!node) {
        const rcode = this.existing.has(key) ? 'NOERROR' : 'NXDOMAIN';
        return { rcode, answers, authorities: this.soaFor(key) };
      }
      const cname = node.rrsets.get('CNAME');
      if (cname && qtype !== 'CNAME') {
        answers.push(this.rr(name, 'CNAME', cname[0], node.ttl));
        name = String(cname[0]);
        continue;
      }
      const rrset = qtype === 'ANY' ? [...node.rrsets.entries()] : ([[qtype, node.rrsets.get(qtype as SupportedType)]] as const);
      let found = false;
      for (const [type, datas] of rrset) {
        for (const data of datas ?? []) {
          answers.push(this.rr(name, type, data, node.ttl));
          found = true;
        }
      }
      return { rcode: 'NOERROR', answers, authorities: found ? [] : this.soaFor(key) };
    }
    return { rcode: 'NOERROR', answers, authorities: [] };
  }

  /** True when some record exists at or below `name`. */
  has(name: string): boolean {
    return this.existing.has(normalizeName(name));
  }

  private wildcardFor(key: string): Node | undefined {
    let encloser = parentOf(key);
    while (encloser !== '' && !this.existing.has(encloser)) encloser = parentOf(encloser);
    if (key === encloser) return undefined;
    return this.nodes.get(encloser === '' ? '*' : `*.${encloser}`);
  }

  /** The SOA of the closest enclosing zone that has one, for the authority section. */
  authorityFor(name: string): Answer[] {
    return this.soaFor(normalizeName(name));
  }

  private soaFor(key: string): Answer[] {
    for (let n = key; ; n = parentOf(n)) {
      const node = this.nodes.get(n);
      const soa = node?.rrsets.get('SOA');
      if (node && soa) return [this.rr(node.owner, 'SOA', soa[0], (soa[0] as { minimum: number }).minimum)];
      if (n === '') return [];
    }
  }

  private rr(name: string, type: string, data: unknown, ttl: number): Answer {
    return { name, type, ttl, class: 'IN', data } as Answer;
  }
}

function parentOf(name: string): string {
  const i = name.indexOf('.');
  return i < 0 ? '' : name.slice(i + 1);
}
