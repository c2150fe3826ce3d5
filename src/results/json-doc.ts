import jsonc from 'jsonc-parser';
import type { z } from 'zod';
import { notValid } from '../errors.js';
import { problemOf } from '../validate.js';

type Path = ReadonlyArray<PropertyKey>;

const isPrefix = (p: ReadonlyArray<string | number>, of: Path): boolean => p.length <= of.length && p.every((x, i) => String(x) === String(of[i]));

/**
 * Where the value at `path` starts in a JSON text, as line:column (1-based); where the path leaves
 * the document (a missing field), where its deepest existing parent starts. Only the branches
 * on the way are walked, so a large result file is read quickly.
 */
export function positionInJson(text: string, path: Path): string {
  let best = { depth: -1, line: 0, col: 0 };
  const seen = (at: ReadonlyArray<string | number>, line: number, col: number): void => {
    if (isPrefix(at, path) && at.length > best.depth) best = { depth: at.length, line, col };
  };
  const enter = (_o: number, _l: number, line: number, col: number, pathOf: () => jsonc.JSONPath): boolean => {
    const at = pathOf();
    if (!isPrefix(at, path)) return false;
    seen(at, line, col);
    return true;
  };
  jsonc.visit(text, {
    onObjectBegin: enter,
    onArrayBegin: enter,
    onLiteralValue: (_v, _o, _l, line, col, pathOf) => seen(pathOf(), line, col),
    // The parser counts skipped objects and arrays down in these; without them nothing after a skip is seen.
    onObjectEnd: () => undefined,
    onArrayEnd: () => undefined,
  });
  return `${best.line + 1}:${best.col + 1}`;
}

/** Where a JSON text first goes wrong, as line:column, and what the parser expected there. */
export function jsonSyntaxError(text: string): { at: string; what: string } | undefined {
  if (text.trim() === '') return { at: '1:1', what: 'an empty file' };
  let first: { at: string; what: string } | undefined;
  jsonc.visit(
    text,
    {
      onError: (code, _o, _l, line, col) => {
        // PropertyNameExpected -> property name expected
        first ??= { at: `${line + 1}:${col + 1}`, what: jsonc.printParseErrorCode(code).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() };
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return first;
}

type Fail = (message: string, options?: { cause?: unknown }) => Error;

/** JSON.parse, or `fail` with file:line:column and what the parser expected there. */
export function parseJsonText(text: string, file: string, fail: Fail, hint = ''): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const bad = jsonSyntaxError(text);
    // The position and the parser's word say more than V8's message, so it is not kept as the cause.
    throw fail(`${file}:${bad?.at ?? '1:1'}: not JSON (${bad?.what ?? (err as Error).message})${hint}`);
  }
}

/** The schema's output for a parsed JSON document, or `fail` naming file:line:column, the field and the value. */
export function checkJsonDoc<S extends z.ZodType>(schema: S, doc: unknown, text: string, file: string, fail: Fail, hint = ''): z.output<S> {
  const r = schema.safeParse(doc);
  if (r.success) return r.data;
  const p = problemOf(r.error, doc);
  throw fail(`${file}:${positionInJson(text, p.path)}: ${notValid(p.field, p.value, p.allowed)}${hint}`);
}
