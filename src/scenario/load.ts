import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { deepest, formatPath } from '../validate.js';
import { scenarioFrom, scenarioSchema, type Scenario } from './schema.js';

export const scenariosDir = (): string => join(packageRoot(), 'scenarios');

/** A scenario file is wrong: the message starts with file:line:column. */
export class ScenarioError extends ConfigError {}

function locate(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: ReadonlyArray<PropertyKey>): string {
  // Walk down as far as the path exists; a missing key is reported at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) {
      const { line, col } = lc.linePos(node.range[0]);
      return `${line}:${col}`;
    }
  }
  return '1:1';
}

/** Where a path (expect.2.when) stands in a scenario's YAML text, as line:column. */
export function positionIn(text: string, path: ReadonlyArray<PropertyKey>): string {
  const lc = new LineCounter();
  return locate(parseDocument(text, { lineCounter: lc, prettyErrors: false }), lc, path);
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = input;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** Parses and validates one scenario's YAML text. */
export function parseScenario(text: string, file: string): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const { line, col } = lc.linePos(yamlError.pos[0]);
    throw new ScenarioError('(YAML)', text.split('\n')[line - 1]?.trim() ?? '', yamlError.message.split('\n')[0] ?? 'invalid YAML', `${file}:${line}:${col}`);
  }
  const input: unknown = doc.toJS();
  const r = scenarioSchema.safeParse(input);
  if (!r.success) {
    const issue = deepest(r.error.issues[0] as z.core.$ZodIssue);
    const where = locate(doc, lc, issue.path);
    throw new ScenarioError(formatPath(issue.path), valueAt(input, issue.path), issue.message, `${file}:${where}`);
  }
  return scenarioFrom(r.data, file);
}

export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError('file', file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const s = parseScenario(text, file);
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (s.name !== stem) throw new ScenarioError('name', s.name, `must match the file name "${stem}"`, `${file}:1:1`);
  return s;
}

/** A scenario by path, or by name from the scenarios directory. */
export function resolveScenario(ref: string, dir = scenariosDir()): Scenario {
  if (existsSync(ref) && /\.ya?ml$/.test(ref)) return loadScenarioFile(ref);
  const file = join(dir, `${ref}.yaml`);
  if (existsSync(file)) return loadScenarioFile(file);
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')) : [];
  throw new ScenarioError('scenario', ref, `no such scenario file, and no ${ref}.yaml in ${dir}; known: ${names.join(', ') || 'none'}`);
}

/** Every scenario in a directory, sorted by name; the first bad file stops with its error. */
export function loadScenarios(dir = scenariosDir()): Scenario[] {
  if (!existsSync(dir)) throw new ScenarioError('scenarios', dir, 'no such directory');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => loadScenarioFile(join(dir, f)));
}

function globRe(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** Scenarios whose name matches any of the names or globs (all when none are given). */
export function selectScenarios(all: Scenario[], patterns: string[]): Scenario[] {
  if (patterns.length === 0) return all;
  const out = all.filter((s) => patterns.some((p) => globRe(p).test(s.name)));
  const unmatched = patterns.filter((p) => !all.some((s) => globRe(p).test(s.name)));
  if (unmatched.length > 0) throw new ScenarioError('--scenario', unmatched.join(', '), `matches no scenario; known: ${all.map((s) => s.name).join(', ')}`);
  return out;
}
