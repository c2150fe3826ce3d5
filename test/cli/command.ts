/** Command declarations: parsing, typed values, checks of positionals, help, and the README's list. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { commandHelp, commandList, defineCommand, parseCommand } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { replaceGenerated } from '../../src/cli/readme.js';
import { UsageError } from '../../src/errors.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

const sample = defineCommand({
  name: 'sample',
  summary: 'a command for the tests',
  positionals: [
    { name: 'ACTION', help: 'what to do', choices: ['get', 'put'] },
    { name: 'FILE', help: 'the files', optional: true, many: true },
  ],
  rest: { name: 'CMD', help: 'a command' },
  options: {
    count: { type: 'string', default: '3', value: 'N', help: 'how many' },
    name: { type: 'string', multiple: true, default: [], value: 'NAME', help: 'names' },
    out: { type: 'string', value: 'FILE', help: 'where to' },
    loud: { type: 'boolean', help: 'louder' },
  },
  examples: ['sample get a b -- true'],
  run: async () => 0,
});

t.test('the values come typed from the declaration, defaults filled, positionals and the words after -- apart', async (t) => {
  const p = parseCommand(sample, ['get', 'a', 'b', '--name', 'x', '--name', 'y', '--loud', '--', 'echo', '--count']);
  if (p.help) return t.fail('not a help request');
  const count: string = p.values.count;
  const names: string[] = p.values.name;
  const loud: boolean = p.values.loud;
  const out: string | undefined = p.values.out;
  t.same([count, names, loud, out], ['3', ['x', 'y'], true, undefined]);
  t.same(p.positionals, ['get', 'a', 'b']);
  t.same(p.rest, ['echo', '--count'], 'options after -- belong to the command run, not to us');
});

t.test('a wrong command line is a UsageError naming the command, the word and the usage line', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['--', 'true'], /sample: get\|put is missing/],
    [['take', '--', 'true'], /sample: "take" is not one of get, put/],
    [['get'], /sample: CMD is missing after --/],
    [['get', '--frob', '--', 'x'], /sample: Unknown option '--frob'$/m],
    [['get', '--count', '--', 'x'], /sample: Option '--count <value>' argument missing/],
  ];
  for (const [argv, msg] of cases) {
    t.throws(() => parseCommand(sample, argv), UsageError, argv.join(' '));
    t.throws(() => parseCommand(sample, argv), { message: msg }, argv.join(' '));
    t.throws(() => parseCommand(sample, argv), { message: /\nusage: go-dns-harness sample get\|put \[FILE \.\.\.\] \[--count N\]/ });
  }
  const one = defineCommand({ name: 'one', summary: 's', positionals: [{ name: 'X', help: 'x' }], options: {}, run: async () => 0 });
  t.throws(() => parseCommand(one, ['a', 'b']), { message: /one: unexpected argument "b"/ });
  t.throws(() => parseCommand(one, ['a', '--', 'b']), { message: /one: takes nothing after --/ });
  t.same(parseCommand(one, ['--help']), { help: true });
  t.same(parseCommand(sample, ['get', '-h', '--frob']), { help: true }, 'help wins over a bad option');
});

t.test('help shows the usage, every argument and option with its default, and the examples', async (t) => {
  const h = commandHelp(sample);
  const usage = h.slice(0, h.indexOf('\n\n')).replace(/\s+/g, ' ');
  t.equal(usage, 'usage: go-dns-harness sample get|put [FILE ...] [--count N] [--name NAME ...] [--out FILE] [--loud] -- CMD');
  t.match(h, /\narguments:\n  get\|put +what to do\n  FILE \.\.\. +the files\n  -- CMD +a command\n/);
  t.match(h, /\n  --count N +how many \(default 3\)\n/);
  t.match(h, /\n  --loud +louder\n/);
  t.match(h, /\n  -h, --help +print this help\n/);
  t.match(h, /\nexamples:\n  go-dns-harness sample get a b -- true\n$/);
  for (const line of h.split('\n')) t.ok(line.length <= 100, `help lines fit 100 columns: ${line}`);
});

t.test('every command has a summary, help for each option and argument, and its own --help', async (t) => {
  t.same(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length, 'command names are unique');
  for (const c of COMMANDS) {
    t.ok(c.summary.length > 10, `${c.name} has a summary`);
    for (const [name, o] of Object.entries(c.options)) t.ok((o as { help: string }).help, `${c.name} --${name} has help`);
    for (const p of c.positionals ?? []) t.ok(p.help, `${c.name} ${p.name} has help`);
    const r = await execa('node', [CLI, c.name, '--help'], { reject: false, timeout: 20_000 });
    t.equal(r.exitCode, 0, `${c.name} --help exits 0`);
    t.equal(r.stdout, commandHelp(c).trimEnd(), `${c.name} --help prints its generated help`);
    t.equal(r.stderr, '');
  }
  const via = await execa('node', [CLI, 'help', 'diff'], { reject: false, timeout: 20_000 });
  t.match(via.stdout, /^usage: go-dns-harness diff A\.json B\.json/);
});

t.test("the README's command list is the one the declarations give", async (t) => {
  const readme = readFileSync(README, 'utf8');
  t.equal(replaceGenerated(readme), readme, 'README.md is up to date (npm run readme writes it)');
  for (const c of COMMANDS) t.match(readme, new RegExp(`\\ngo-dns-harness ${c.name}\\b`), `${c.name} is in the README`);
  t.match(commandList(COMMANDS), /^go-dns-harness run \[--scenario NAME\|GLOB \.\.\.\]/);
  t.throws(() => replaceGenerated('# no markers\n'), { message: /README\.md: the commands markers/ });
});
