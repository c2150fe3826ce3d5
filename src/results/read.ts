import { readFileSync } from 'node:fs';
import { HarnessError, notValid, type HarnessErrorOptions } from '../errors.js';
import { problemOf } from '../validate.js';
import { SCHEMA_VERSION, type RunResult } from './model.js';
import { runResultSchema } from './schema.js';

export class ResultsError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_RESULTS', message, options);
  }
}

/** Reads a result document, checking its schema version. */
export function parseResults(text: string, file: string): RunResult {
  let doc: RunResult;
  try {
    doc = JSON.parse(text) as RunResult;
  } catch (err) {
    throw new ResultsError(`${file}: not JSON (${(err as Error).message})`);
  }
  if (doc?.schemaVersion !== SCHEMA_VERSION || !Array.isArray(doc.cells)) {
    throw new ResultsError(`${file}: schemaVersion ${JSON.stringify(doc?.schemaVersion)} is not a go-dns-harness result (want ${SCHEMA_VERSION})`);
  }
  const r = runResultSchema.safeParse(doc);
  if (!r.success) {
    const p = problemOf(r.error, doc);
    throw new ResultsError(`${file}: ${notValid(p.field, p.value, p.allowed)}`);
  }
  // The file's own objects, not zod's copy: fields a newer harness added are kept.
  return doc;
}

/**
 * Every command that takes a results.json reads it here, so a missing or unreadable file is a
 * user's mistake with the file named (exit 2), not a crash reported as a bug.
 */
export function readResultsFile(file: string): RunResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory (give its results.json)' : e.message;
    throw new ResultsError(`${file}: cannot read a result: ${why}`);
  }
  return parseResults(text, file);
}
