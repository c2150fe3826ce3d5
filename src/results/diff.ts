import { resultOf } from './expect.js';
import { ResultsError } from './read.js';
import type { CellResult, RunResult } from './model.js';
import { compareSignatures, signatureOf, type SignatureChange } from './signature.js';
import { wireShape } from './wire-shape.js';

/** What a cell came to, in the terms diff compares: verdict, each lookup's outcome, the paths, the wire. */
export interface CellState {
  verdict: string;
  /** Per lookup: ok, notfound, timeout, temporary or error. */
  outcome: string;
  /** Declared path per lookup, then what the wire showed. */
  path: string;
  /** Per server, queries per transport and type (see wire-shape.ts for what may vary). */
  wire: string;
}

export interface CellChange {
  key: string;
  a: CellState;
  b: CellState;
  /** Passed in A, fails (or errors) in B. */
  regression: boolean;
  /** Failed in A, passes in B. */
  fixed: boolean;
  /** Every field of the behaviour signature that changed (see signature.ts): outcome code, error text, path, wire, EDNS0 size, time. */
  behaviour: SignatureChange[];
}

export interface ResultDiff {
  /** How cells were paired: by id, or by id without the Go version (comparing two Go versions). */
  pairing: 'id' | 'across-go';
  compared: number;
  changed: CellChange[];
  onlyA: string[];
  onlyB: string[];
}

export function stateOf(c: CellResult): CellState {
  return {
    verdict: c.verdict,
    outcome: c.lookups.map(resultOf).join(',') || '-',
    path: `${c.lookups.map((l) => l.declaredPath).join(',') || '-'}/${c.observed?.path ?? '-'}`,
    wire: wireShape(c).join(' | ') || '-',
  };
}

const FAILING = new Set(['fail', 'error']);
const withoutGo = (id: string): string => id.replace(/:go\d+\.\d+(\.\d+)?(?=:)/, '');

function index(run: RunResult, key: (c: CellResult) => string, file: string): Map<string, CellResult> {
  const out = new Map<string, CellResult>();
  for (const c of run.cells) {
    const k = key(c);
    if (out.has(k)) throw new ResultsError(`${file}: more than one cell is ${k} once the Go version is set aside; compare results of one Go version each, or pair by id`);
    out.set(k, c);
  }
  return out;
}

/**
 * Pairs the cells of two results and lists those whose verdict, outcome, path or wire changed. Cells are
 * paired by id; when the two share no id and each holds one Go version (Go 1.26 against 1.27),
 * they are paired by id without the Go version.
 */
export function diffResults(a: RunResult, b: RunResult, opts: { acrossGo?: boolean; files?: [string, string] } = {}): ResultDiff {
  const [fa, fb] = opts.files ?? ['A', 'B'];
  const goVersions = (r: RunResult) => new Set(r.cells.map((c) => c.axes.go));
  const ids = new Set(a.cells.map((c) => c.id));
  const shareIds = b.cells.some((c) => ids.has(c.id));
  const acrossGo = opts.acrossGo ?? (!shareIds && goVersions(a).size === 1 && goVersions(b).size === 1);
  const key = acrossGo ? (c: CellResult) => withoutGo(c.id) : (c: CellResult) => c.id;
  const ia = index(a, key, fa);
  const ib = index(b, key, fb);
  const changed: CellChange[] = [];
  let compared = 0;
  for (const [k, ca] of ia) {
    const cb = ib.get(k);
    if (!cb) continue;
    compared++;
    const sa = stateOf(ca);
    const sb = stateOf(cb);
    const behaviour = compareSignatures(signatureOf(ca), signatureOf(cb));
    if (sa.verdict === sb.verdict && behaviour.length === 0) continue;
    changed.push({ key: k, a: sa, b: sb, regression: sa.verdict === 'pass' && FAILING.has(sb.verdict), fixed: FAILING.has(sa.verdict) && sb.verdict === 'pass', behaviour });
  }
  return {
    pairing: acrossGo ? 'across-go' : 'id',
    compared,
    changed,
    onlyA: [...ia.keys()].filter((k) => !ib.has(k)),
    onlyB: [...ib.keys()].filter((k) => !ia.has(k)),
  };
}
