/**
 * The behaviour baseline: every cell's behaviour signature from a reference run, committed, so a
 * later run can report each cell whose behaviour changed, even where the scenario's expectations
 * (which may be looser) would still pass.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HarnessError, type HarnessErrorOptions } from '../errors.js';
import { checkJsonDoc, parseJsonText } from './json-doc.js';
import type { CellResult, RunResult } from './model.js';
import { compareSignatures, signatureOf, type BehaviourSignature, type SignatureChange } from './signature.js';

export const BASELINE_VERSION = 1;

/**
 * A cell's key in the baseline: its id with the Go version cut to the minor (go1.27.4 -> go1.27),
 * so a patch release that the archive ships does not orphan the baseline: it is compared, and a
 * patch release that changes behaviour shows as a change.
 */
export const baselineKey = (c: CellResult): string => c.id.replace(/:go(\d+\.\d+)\.\d+(?=:|$)/, ':go$1');

const signatureSchema = z.strictObject({
  outcome: z.array(z.string()),
  error: z.array(z.string()),
  path: z.string(),
  wire: z.string(),
  opt: z.string(),
  ms: z.array(z.number()),
});

const baselineSchema = z.strictObject({
  version: z.literal(BASELINE_VERSION),
  /** Where the reference run came from: its command, date, host and toolchains. */
  from: z.strictObject({ run: z.string(), startedAt: z.string(), host: z.string(), toolchains: z.array(z.string()), cells: z.number().int() }),
  cells: z.record(z.string(), signatureSchema),
});

export type Baseline = z.output<typeof baselineSchema>;

export class BaselineError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_BASELINE', message, options);
  }
}

/** A baseline from a run: its measured cells (skipped and errored cells have no behaviour to keep). */
export function baselineFrom(run: RunResult): Baseline {
  const cells: Record<string, BehaviourSignature> = {};
  for (const c of [...run.cells].sort((a, b) => baselineKey(a).localeCompare(baselineKey(b)))) if (c.verdict !== 'skip' && c.verdict !== 'error') cells[baselineKey(c)] = signatureOf(c);
  const m = run.meta;
  return {
    version: BASELINE_VERSION,
    from: { run: ['go-dns-harness', ...m.argv].join(' '), startedAt: m.startedAt, host: `${m.host.distro}, ${m.host.glibc}, kernel ${m.host.kernel}`, toolchains: m.toolchains.map((t) => t.version), cells: Object.keys(cells).length },
    cells,
  };
}

/** One cell per line, so a deliberate update reads as a diff of the cells that changed. */
export function serializeBaseline(b: Baseline): string {
  const lines = Object.entries(b.cells).map(([k, s]) => `  ${JSON.stringify(k)}: ${JSON.stringify(s)}`);
  return `{\n "version": ${b.version},\n "from": ${JSON.stringify(b.from)},\n "cells": {\n${lines.join(',\n')}\n }\n}\n`;
}

export function parseBaseline(text: string, file: string): Baseline {
  const fail = (m: string, o?: HarnessErrorOptions): BaselineError => new BaselineError(m, o);
  const again = `; write it again with: go-dns-harness baseline write RESULTS.json --out ${file}`;
  return checkJsonDoc(baselineSchema, parseJsonText(text, file, fail, again), text, file, fail, again);
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BaselineError(`${file}: cannot read the baseline (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); write one with: go-dns-harness baseline write RESULTS.json --out ${file}`, { cause: e });
  }
  return parseBaseline(text, file);
}

export interface BaselineCheck {
  compared: number;
  changed: Array<{ key: string; cell: CellResult; changes: SignatureChange[] }>;
  /** Measured cells of the run the baseline does not have (a new scenario, a new Go minor). */
  unknown: string[];
  /** Cells of the run with no behaviour to compare: skipped, or the harness failed. */
  unmeasured: string[];
}

/** The run's cells against the baseline; cells of the baseline the run did not have are not news (a subset run). */
export function checkBaseline(run: RunResult, b: Baseline): BaselineCheck {
  const out: BaselineCheck = { compared: 0, changed: [], unknown: [], unmeasured: [] };
  for (const c of run.cells) {
    const key = baselineKey(c);
    if (c.verdict === 'skip' || c.verdict === 'error') {
      out.unmeasured.push(key);
      continue;
    }
    const want = b.cells[key];
    if (!want) {
      out.unknown.push(key);
      continue;
    }
    out.compared++;
    const changes = compareSignatures(want, signatureOf(c));
    if (changes.length) out.changed.push({ key, cell: c, changes });
  }
  return out;
}

export const baselineFails = (r: BaselineCheck): boolean => r.changed.length > 0 || r.unknown.length > 0;

const FIELD: Record<SignatureChange['field'], string> = { outcome: 'outcome', error: 'error', path: 'path', wire: 'queries', opt: 'EDNS0', ms: 'time' };

export function renderBaselineCheck(r: BaselineCheck, file: string): string {
  const lines = [`baseline ${file}: ${r.compared} cells compared, ${r.changed.length} changed, ${r.unknown.length} not in the baseline${r.unmeasured.length ? `, ${r.unmeasured.length} not measured (skipped or harness errors)` : ''}`];
  for (const c of r.changed) {
    lines.push(`CHANGED ${c.key}`);
    for (const x of c.changes) lines.push(`    ${FIELD[x.field]}: ${x.before || '(none)'} -> ${x.after || '(none)'}`);
    lines.push(`    repro: ${c.cell.repro}`);
  }
  if (r.unknown.length) lines.push(`not in the baseline (${r.unknown.length}): ${r.unknown.slice(0, 10).join(', ')}${r.unknown.length > 10 ? ', ...' : ''}`);
  if (baselineFails(r)) lines.push(`A deliberate change? Update the baseline: go-dns-harness baseline write RESULTS.json --out ${file} (npm run baseline does the run and the write).`);
  return `${lines.join('\n')}\n`;
}
