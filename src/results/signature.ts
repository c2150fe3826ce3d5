import type { CellResult } from './model.js';
import { lookupCode } from './outcome-code.js';
import { wireKey } from './wire-shape.js';

/**
 * A cell's behaviour, reduced to what a reader of the tables would call "the same" between two
 * runs or two Go versions: no verdict (that is the scenario's opinion), nothing that changes by
 * chance (ports, exact milliseconds, the order of a parallel pair).
 */
export interface BehaviourSignature {
  /** Per lookup, its outcome code (ok, misbehaving, ...); an ok lookup adds its address families (ok 4+6). */
  outcome: string[];
  /** Per lookup, the error text with ports and resolver addresses normalised; '' when ok. */
  error: string[];
  /** Per lookup, the path Go declared; then what the wire showed. */
  path: string;
  /** Per server, queries per transport and type, with the tolerances of wire-shape.ts. */
  wire: string;
  /** The EDNS0 buffer sizes the servers saw, each once ("none" for queries without OPT). */
  opt: string;
  /** Per lookup, its time in milliseconds, compared with a tolerance (see sameTime). */
  ms: number[];
}

const families = (addrs: string[] = []): string => [...new Set(addrs.map((a) => (a.includes(':') ? '6' : '4')))].sort().join('+');

/** Error texts without what varies from run to run: ephemeral ports, the resolver's address and port. */
export const normaliseError = (e: string): string =>
  e.replace(/(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):\d+->(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):\d+/gi, '$1:*->$2:*').replace(/(\d+\.\d+\.\d+\.\d+):\d{4,5}\b/g, '$1:*');

export function signatureOf(c: CellResult): BehaviourSignature {
  const opt = new Set<string>();
  for (const qs of c.queries) for (const q of qs) if (!q.malformed) opt.add(q.edns ? String(q.edns.udpSize) : 'none');
  return {
    outcome: c.lookups.map((l) => (l.ok ? `ok ${families(l.addrs)}`.trim() : lookupCode(l).code)),
    error: c.lookups.map((l) => (l.ok ? '' : normaliseError(l.error ?? ''))),
    path: `${c.lookups.map((l) => l.declaredPath).join(',') || '-'}/${c.observed?.path ?? '-'}`,
    wire: wireKey(c),
    opt: [...opt].sort().join(',') || '-',
    ms: c.lookups.map((l) => Math.round(l.elapsedMs)),
  };
}

/**
 * Two times are the same wait when both are under a second (no retry round, whose shortest is
 * Go's and glibc's 1 s timeout, fits there; a busy machine stalled a quick lookup for 0.9 s once
 * in 3,936 cells) or they differ by no more than 0.4 s or a quarter: a retry round (1 s, glibc's
 * 5 s) moves a lookup past that, the scheduler does not. Shorter waits show in the wire (another
 * server asked, a query again) and in the expectations' minMs and maxMs.
 */
export function sameTime(a: number, b: number): boolean {
  if (a < 1000 && b < 1000) return true;
  return Math.abs(a - b) <= Math.max(400, 0.25 * Math.max(a, b));
}

export interface SignatureChange {
  field: keyof BehaviourSignature;
  before: string;
  after: string;
}

const show = (field: keyof BehaviourSignature, s: BehaviourSignature): string => {
  const v = s[field];
  if (field === 'ms') return (v as number[]).map((ms) => `${(ms / 1000).toFixed(1)}s`).join(', ');
  return Array.isArray(v) ? v.join(', ') : String(v);
};

/** Every field in which two signatures differ, each with its value before and after. */
export function compareSignatures(a: BehaviourSignature, b: BehaviourSignature): SignatureChange[] {
  const out: SignatureChange[] = [];
  for (const field of ['outcome', 'error', 'path', 'wire', 'opt', 'ms'] as const) {
    const same =
      field === 'ms'
        ? a.ms.length === b.ms.length && a.ms.every((x, i) => sameTime(x, b.ms[i] ?? 0))
        : JSON.stringify(a[field]) === JSON.stringify(b[field]);
    if (!same) out.push({ field, before: show(field, a), after: show(field, b) });
  }
  return out;
}
