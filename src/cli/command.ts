import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

/** One option of a command: how parseArgs reads it, and the words its help and usage line show. */
export interface OptionDecl {
  type: 'string' | 'boolean';
  multiple?: boolean;
  default?: string | boolean | readonly string[];
  /** The value's name in help and usage (DIR, N, FILE); strings only. */
  value?: string;
  help: string;
}

/** One word on the command line before any option, in order. */
export interface PositionalDecl {
  name: string;
  help: string;
  optional?: boolean;
  /** Takes every remaining word (the last positional only). */
  many?: boolean;
  /** The words allowed (a sub-action such as list|fetch). */
  choices?: readonly string[];
}

type OptionsDecl = Record<string, OptionDecl>;

type ValueOf<D extends OptionDecl> = D['type'] extends 'boolean' ? boolean : D extends { multiple: true } ? string[] : string;
type Always<O extends OptionsDecl> = { [K in keyof O]: O[K]['type'] extends 'boolean' ? K : O[K] extends { default: unknown } ? K : never }[keyof O];

/** The parsed options, typed from the declaration: booleans and options with a default are always there. */
export type Values<O extends OptionsDecl> = { [K in Always<O>]: ValueOf<O[K]> } & { [K in Exclude<keyof O, Always<O>>]?: ValueOf<O[K]> };

export interface Args<O extends OptionsDecl> {
  values: Values<O>;
  /** The positional words, checked against the declaration (count, choices). */
  positionals: string[];
  /** The words after `--` (exec's command). */
  rest: string[];
}

/** Everything a command is: parsing, its typed arguments, `--help`, the usage line and the README's list come from this. */
export interface CommandDecl<O extends OptionsDecl = OptionsDecl> {
  name: string;
  /** One line: what the command does. */
  summary: string;
  /** More, for `COMMAND --help`: defaults, exit codes, what it writes. */
  details?: string;
  positionals?: readonly PositionalDecl[];
  /** Words after `--`, when the command takes them (required unless `optional`). */
  rest?: { name: string; help: string; optional?: boolean };
  options: O;
  examples?: readonly string[];
  run(args: Args<O>): Promise<number | void>;
}

/** Declares a command; the generic keeps each option's type for `run`'s typed values. */
export const defineCommand = <const O extends OptionsDecl>(decl: CommandDecl<O>): CommandDecl<O> => decl;

/** Any command, for lists of them (the option types no longer matter there). */
export type AnyCommand = CommandDecl<any>;

export const PROGRAM = 'go-dns-harness';
const HELP_WORDS = new Set(['--help', '-h']);

const optionUsage = (name: string, o: OptionDecl): string => `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}${o.multiple ? ' ...' : ''}`;

function positionalUsage(p: PositionalDecl): string {
  const word = p.choices ? p.choices.join('|') : p.name;
  const many = p.many ? ' ...' : '';
  return p.optional ? `[${word}${many}]` : `${word}${many}`;
}

/** The command's one usage line: its words, then every option in brackets, then `-- REST`. */
export function usageLine(c: AnyCommand): string {
  const words = [c.name, ...(c.positionals ?? []).map(positionalUsage), ...Object.entries(c.options as OptionsDecl).map(([n, o]) => `[${optionUsage(n, o)}]`)];
  if (c.rest) words.push(c.rest.optional ? `[-- ${c.rest.name}]` : `-- ${c.rest.name}`);
  return words.join(' ');
}

/** Wraps words to a width, the first line after `first`, later lines after `indent` (usage lines, help, the README). */
export function wrapWords(text: string, width: number, indent: string, first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  // Keep a bracketed option with its value together.
  for (const word of text.match(/\[[^\]]*\]|\S+/g) ?? []) {
    if (line.trim() && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() ? `${line} ${word}` : `${line}${word}`;
  }
  if (line.trim()) lines.push(line);
  return lines;
}

/** Two columns, the second wrapped (help's arguments and options, the command list). */
export function table(rows: Array<[string, string]>): string[] {
  const w = Math.min(28, Math.max(...rows.map(([a]) => a.length)) + 2);
  return rows.flatMap(([a, b]) => {
    const text = wrapWords(b, 96 - w, '');
    const first = a.length + 2 > w ? [`  ${a}`, ...text.map((l) => `  ${' '.repeat(w)}${l}`)] : [`  ${a.padEnd(w)}${text[0] ?? ''}`, ...text.slice(1).map((l) => `  ${' '.repeat(w)}${l}`)];
    return first;
  });
}

function defaultWord(o: OptionDecl): string {
  if (o.default === undefined || o.default === false) return '';
  if (Array.isArray(o.default)) return o.default.length ? ` (default ${o.default.join(',')})` : '';
  return ` (default ${String(o.default)})`;
}

/** `COMMAND --help`: usage, what it does, its arguments and options with their defaults, examples. */
export function commandHelp(c: AnyCommand): string {
  const out = wrapWords(`usage: ${PROGRAM} ${usageLine(c)}`, 100, '         ');
  out.push('', ...wrapWords(c.summary, 100, ''));
  if (c.details) out.push('', ...c.details.split('\n').flatMap((p) => wrapWords(p, 100, '')));
  const args: Array<[string, string]> = (c.positionals ?? []).map((p) => [positionalUsage(p).replace(/^\[|\]$/g, ''), p.help]);
  if (c.rest) args.push([`-- ${c.rest.name}`, c.rest.help]);
  if (args.length) out.push('', 'arguments:', ...table(args));
  const opts: Array<[string, string]> = Object.entries(c.options as OptionsDecl).map(([n, o]) => [optionUsage(n, o), `${o.help}${defaultWord(o)}`]);
  opts.push(['-h, --help', 'print this help']);
  out.push('', 'options:', ...table(opts));
  if (c.examples?.length) out.push('', 'examples:', ...c.examples.map((e) => `  ${PROGRAM} ${e}`));
  return `${out.join('\n')}\n`;
}

/** The words after the command name, parsed and checked; `help` true when the user asked for it. */
export function parseCommand<O extends OptionsDecl>(c: CommandDecl<O>, argv: string[]): { help: true } | ({ help: false } & Args<O>) {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const rest = dash < 0 ? [] : argv.slice(dash + 1);
  if (own.some((a) => HELP_WORDS.has(a))) return { help: true };
  // A boolean is false when not given, as its type says.
  const options = Object.fromEntries(Object.entries(c.options as OptionsDecl).map(([n, o]) => [n, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.default !== undefined ? { default: o.default } : o.type === 'boolean' ? { default: false } : {}) }]));
  const positionals = c.positionals ?? [];
  let parsed;
  try {
    parsed = parseArgs({ args: own, options: options as never, allowPositionals: positionals.length > 0, strict: true });
  } catch (err) {
    throw new UsageError(`${c.name}: ${(err as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '')}\n${usageHint(c)}`);
  }
  checkPositionals(c, parsed.positionals);
  if (dash >= 0 && !c.rest) throw new UsageError(`${c.name}: takes nothing after --\n${usageHint(c)}`);
  if (c.rest && !c.rest.optional && rest.length === 0) throw new UsageError(`${c.name}: ${c.rest.name} is missing after --\n${usageHint(c)}`);
  return { help: false, values: parsed.values as Values<O>, positionals: parsed.positionals, rest };
}

const usageHint = (c: AnyCommand): string => [...wrapWords(`usage: ${PROGRAM} ${usageLine(c)}`, 100, '         '), `(${PROGRAM} ${c.name} --help says more)`].join('\n');

/** The README's command list: every usage line, wrapped under the command's name. */
export function commandList(commands: readonly AnyCommand[]): string {
  return `${commands.flatMap((c) => wrapWords(`${PROGRAM} ${usageLine(c)}`, 100, ' '.repeat(PROGRAM.length + c.name.length + 2))).join('\n')}\n`;
}

function checkPositionals(c: AnyCommand, got: string[]): void {
  const decl: readonly PositionalDecl[] = c.positionals ?? [];
  const many = decl.at(-1)?.many === true;
  decl.forEach((p, i) => {
    const word = got[i];
    if (word === undefined) {
      if (!p.optional) throw new UsageError(`${c.name}: ${p.choices ? p.choices.join('|') : p.name} is missing\n${usageHint(c)}`);
      return;
    }
    const words = p.many ? got.slice(i) : [word];
    for (const w of words) {
      if (p.choices && !p.choices.includes(w)) throw new UsageError(`${c.name}: "${w}" is not one of ${p.choices.join(', ')}\n${usageHint(c)}`);
    }
  });
  if (!many && got.length > decl.length) throw new UsageError(`${c.name}: unexpected argument "${got[decl.length] ?? ''}"\n${usageHint(c)}`);
}
