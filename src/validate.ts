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

function valueAt(input: unknown, path: Path): unknown {
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

/**
 * Parses `input` with `schema`, or throws a ConfigError naming the source, the field path, the
 * value found there and what zod says is allowed.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, source: string, root = ''): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = deepest(r.error.issues[0] as z.core.$ZodIssue);
  const field = formatPath(issue.path, root);
  throw new ConfigError(field, valueAt(input, issue.path), issue.message, source);
}
