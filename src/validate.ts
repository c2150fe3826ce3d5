import type { z } from 'zod';
import { ConfigError } from './errors.js';

type Path = ReadonlyArray<PropertyKey>;

/** `records["app.test"].A[0]` from zod's path array. */
export function formatPath(path: Path, root = ''): string {
  let out = root;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '(root)';
}

/** The value at a zod path in a parsed document (undefined where the path leaves it). */
export function valueAt(input: unknown, path: Path): unknown {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** The most specific issue: for a union, the branch that got furthest into the value. */
export function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  // A bad record key: its own message, said of the key.
  if (issue.code === 'invalid_key' && issue.issues[0]) return { ...issue, message: `the key "${String(issue.path.at(-1))}": ${issue.issues[0].message}` };
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  let best: z.core.$ZodIssue = issue;
  let bestLen = -1;
  for (const branch of issue.errors) {
    for (const sub of branch) {
      const d = deepest(sub);
      if (d.path.length > bestLen && d.code !== 'invalid_type') {
        best = { ...d, path: [...issue.path, ...d.path] };
        bestLen = d.path.length;
      }
    }
  }
  return best;
}

/** What a validation failure is about: the path to point at, the field as written, the value, what is allowed. */
export interface Problem {
  path: PropertyKey[];
  field: string;
  value: unknown;
  allowed: string;
}

/**
 * The first problem of a failed parse, at its most specific; an unknown key is the key's own
 * problem (its path, its name), not its parent object's.
 */
export function problemOf(error: z.ZodError, input: unknown, root = ''): Problem {
  const issue = deepest(error.issues[0] as z.core.$ZodIssue);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    const key = issue.keys[0];
    const path = [...issue.path, key];
    return { path, field: formatPath(path, root), value: key, allowed: `an unknown key ${issue.path.length ? `under ${formatPath(issue.path, root)}` : 'at the top level'} (a typo?)` };
  }
  return { path: [...issue.path], field: formatPath(issue.path, root), value: valueAt(input, issue.path), allowed: issue.message };
}

/**
 * Parses `input` with `schema`, or throws a ConfigError naming the source, the field path, the
 * value found there and what zod says is allowed.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, source: string, root = ''): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const p = problemOf(r.error, input, root);
  throw new ConfigError(p.field, p.value, p.allowed, source);
}
