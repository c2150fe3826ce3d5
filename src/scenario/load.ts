import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter, isMap, isNode, isScalar, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { problemOf } from '../validate.js';
import { scenarioFrom, scenarioSchema, type Scenario } from './schema.js';

export const scenariosDir = (): string => join(packageRoot(), 'scenarios');

/** A scenario file is wrong: the message starts with file:line:column. */
export class ScenarioError extends ConfigError {}

type Doc = ReturnType<typeof parseDocument>;

/** Where a key of the map at `path` is written, as line:column. */
function keyPosition(doc: Doc, lc: LineCounter, path: ReadonlyArray<PropertyKey>, key: string): string | undefined {
  const map = doc.getIn(path as unknown[], true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (!pair || !isNode(pair.key) || !pair.key.range) return undefined;
  const { line, col } = lc.linePos(pair.key.range[0]);
  return `${line}:${col}`;
}

function locate(doc: Doc, lc: LineCounter, path: ReadonlyArray<PropertyKey>): string {
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

const MAX_ALIASES = 100;

/** The document as plain data; an alias bomb (aliases expanding beyond reason) is the file's error, at its first alias. */
function toPlain(doc: Doc, lc: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    let at = '1:1';
    visit(doc, {
      Alias(_, node) {
        if (node.range) {
          const { line, col } = lc.linePos(node.range[0]);
          at = `${line}:${col}`;
        }
        return visit.BREAK;
      },
    });
    throw new ScenarioError('(YAML)', 'aliases', `they expand too far (over ${MAX_ALIASES} times the document: an alias bomb?); write the values out`, `${file}:${at}`);
  }
}

/** YAML text as the schema's data, or a ScenarioError at file:line:column naming the field, the value and what is allowed. */
export function parseYamlAs<T>(schema: z.ZodType<T>, text: string, file: string): T {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const { line, col } = lc.linePos(yamlError.pos[0]);
    throw new ScenarioError('(YAML)', text.split('\n')[line - 1]?.trim() ?? '', yamlError.message.split('\n')[0] ?? 'invalid YAML', `${file}:${line}:${col}`);
  }
  const input = toPlain(doc, lc, file);
  const r = schema.safeParse(input);
  if (!r.success) {
    const p = problemOf(r.error, input);
    // An unknown key is said at its own line, not its map's.
    const key = p.value === p.path.at(-1) && typeof p.value === 'string' ? keyPosition(doc, lc, p.path.slice(0, -1), p.value) : undefined;
    throw new ScenarioError(p.field, p.value, p.allowed, `${file}:${key ?? locate(doc, lc, p.path)}`);
  }
  return r.data;
}

/** Parses and validates one scenario's YAML text. */
export function parseScenario(text: string, file: string): Scenario {
  return scenarioFrom(parseYamlAs(scenarioSchema, text, file), file);
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
  if (s.name !== stem) throw new ScenarioError('name', s.name, `must match the file name "${stem}"`, `${file}:${positionIn(text, ['name'])}`);
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
  const all = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => loadScenarioFile(join(dir, f)));
  const seen = new Map<string, Scenario>();
  for (const s of all) {
    const first = seen.get(s.name);
    if (first) throw new ScenarioError('name', s.name, `is also the name of ${first.source}; a scenario name is unique (cell ids start with it)`, `${s.source}:${positionIn(readFileSync(s.source, 'utf8'), ['name'])}`);
    seen.set(s.name, s);
  }
  return all;
}

export function globRe(glob: string): RegExp {
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
