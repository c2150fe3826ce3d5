import { readFileSync } from 'node:fs';
import { HarnessError, type HarnessErrorOptions } from '../errors.js';
import { SCHEMA_VERSION, type RunResult } from './model.js';
import { checkJsonDoc, parseJsonText, positionInJson } from './json-doc.js';
import { runResultSchema } from './schema.js';

export class ResultsError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_RESULTS', message, options);
  }
}

/** Reads a result document, checking its schema version. */
export interface ReadOptions {
  /** Check every field against the schema (default). Off only where a bad file is ignored anyway (the previous run's timings). */
  validate?: boolean;
}

export function parseResults(text: string, file: string, opts: ReadOptions = {}): RunResult {
  const fail = (m: string, o?: HarnessErrorOptions): ResultsError => new ResultsError(m, o);
  const doc = parseJsonText(text, file, fail) as RunResult;
  if (doc?.schemaVersion !== SCHEMA_VERSION || !Array.isArray(doc.cells)) {
    throw new ResultsError(`${file}:${positionInJson(text, ['schemaVersion'])}: schemaVersion ${JSON.stringify(doc?.schemaVersion)} is not a go-dns-harness result (want ${SCHEMA_VERSION})`);
  }
  if (opts.validate !== false) checkJsonDoc(runResultSchema, doc, text, file, fail);
  // The file's own objects, not zod's copy: fields a newer harness added are kept.
  return doc;
}

/**
 * Every command that takes a results.json reads it here, so a missing or unreadable file is a
 * user's mistake with the file named (exit 2), not a crash reported as a bug.
 */
export function readResultsFile(file: string, opts: ReadOptions = {}): RunResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory (give its results.json)' : e.message;
    throw new ResultsError(`${file}: cannot read a result: ${why}`, { cause: err });
  }
  return parseResults(text, file, opts);
}
