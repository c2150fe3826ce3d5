import { UsageError } from '../errors.js';
import { STUB_MODES, type StubMode } from '../resolved/spec.js';
import { defineCommand, type AnyCommand } from './command.js';
import { MATRIX_OPTIONS } from './matrix-options.js';
import { REPORT_FORMATS, REPORT_FORMAT_NAMES } from './report-formats.js';

// Each command's module is imported only when it runs: `--help` and the tests' many short
// invocations should not load the runner, the sandbox and the reporters.
const say = (s: string): void => void process.stderr.write(`go-dns-harness: ${s}\n`);
const SCENARIOS_DIR = { type: 'string', value: 'DIR', help: 'read the scenarios from DIR instead of the shipped scenarios/' } as const;
const JSON_OUT = { type: 'boolean', help: 'print JSON on stdout instead of text' } as const;
const FORCE = { type: 'boolean', help: 'fetch again even when the cache has it' } as const;

const positiveInt = (flag: string, v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag}: "${v}" is not a positive whole number`);
  return n;
};

const run = defineCommand({
  name: 'run',
  summary: 'run the matrix: every scenario x toolchain x cgo x netdns by default; write DIR/results.json, results.md, results.html and junit.xml',
  details: 'Exit 1 when a cell fails its expectations, or (with --baseline) when a cell behaves otherwise than the baseline says or is not in it.',
  options: {
    ...MATRIX_OPTIONS,
    jobs: { type: 'string', default: '16', value: 'N', help: 'sandboxes at a time (cells mostly wait on timeouts, not on the CPU)' },
    out: { type: 'string', default: 'results', value: 'DIR', help: 'where the reports go' },
    'pcap-dir': { type: 'string', value: 'DIR', help: "write each cell's DNS traffic as a pcap file in DIR" },
    baseline: { type: 'string', value: 'FILE', help: 'also report every cell whose behaviour differs from this baseline' },
    json: JSON_OUT,
  },
  rest: { name: 'PROGRAM-ARGS...', help: 'with --program: the arguments your program runs with in every cell', optional: true },
  examples: ['run', 'run --scenario stub-refused --go 1.27 --cgo 1', 'run --shard 2/4 --out results/shard2', 'run --baseline baseline/default.json', 'run --program examples/http-client --go 1.19 --go newest -- http://app.example.test/'],
  run: async ({ values, rest }) => {
    positiveInt('jobs', values.jobs);
    return (await import('./run.js')).run(values, process.argv.slice(2), rest);
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'list the scenarios and toolchains a run would take; with --json, every planned cell',
  options: { ...MATRIX_OPTIONS, json: { type: 'boolean', help: 'print every planned cell as JSON' } },
  examples: ['list --scenario "stub-*" --json'],
  run: async ({ values }) => (await import('./list.js')).list(values, values.json),
});

const repro = defineCommand({
  name: 'repro',
  summary: 're-run one cell verbosely: its files, every query, the probe stderr and its result',
  positionals: [{ name: 'CELL-ID', help: 'a cell id from a report, e.g. stub-refused:go1.27.4:cgo=1:netdns=go' }],
  options: {
    pcap: { type: 'string', value: 'FILE', help: "write the cell's DNS traffic as a pcap file" },
    'scenarios-dir': SCENARIOS_DIR,
    program: { type: 'string', value: 'PATH', help: 'a program cell (its id has program=NAME): the program the run took, as given there' },
    json: JSON_OUT,
  },
  rest: { name: 'PROGRAM-ARGS...', help: "with --program: the program's arguments, as in the run", optional: true },
  examples: ['repro stub-refused:go1.27.4:cgo=1:netdns=go --pcap refused.pcap', "repro 'stub-refused:go1.27.4:cgo=0:netdns=go:program=http-client' --program examples/http-client -- http://app.example.test/"],
  run: async ({ values, positionals: [id = ''], rest }) => (await import('./repro.js')).repro(id, values.json, values.pcap, values['scenarios-dir'], values.program, rest),
});

const exec = defineCommand({
  name: 'exec',
  summary: "run any command (dig, getent ahosts, your Go binary) in a scenario's sandbox with its fake servers up, then print their query log; exit with the command's code",
  positionals: [{ name: 'SCENARIO', help: 'a scenario name from scenarios/, or a YAML file' }],
  rest: { name: 'CMD [ARGS...]', help: 'the command to run inside the sandbox' },
  options: {
    timeout: { type: 'string', default: '60', value: 'S', help: 'stop the command after S seconds' },
    stub: { type: 'string', default: 'real', value: STUB_MODES.join('|'), help: 'what stands on 127.0.0.53 in scenarios with a resolved server' },
    platform: { type: 'string', default: 'host', value: 'NAME', help: "take the platform's default files (files: platform-default) and its systemd-resolved; the command itself runs as it is" },
    json: JSON_OUT,
  },
  examples: ['exec stub-refused -- getent ahosts app.example.test', 'exec stub-slow --stub emulated -- dig app.example.test', 'exec fresh-install-stub-healthy --platform debian-13 -- getent ahosts app.example.test'],
  run: async ({ values, positionals: [scenario = ''], rest }) => {
    const timeout = Number(values.timeout);
    if (!(timeout > 0)) throw new UsageError(`--timeout: "${values.timeout}" is not a number of seconds`);
    if (!(STUB_MODES as readonly string[]).includes(values.stub)) throw new UsageError(`--stub: "${values.stub}" is not one of ${STUB_MODES.join(', ')}`);
    return (await import('./exec.js')).exec({ scenario, command: rest, json: values.json, timeoutMs: timeout * 1000, stub: values.stub as StubMode, platform: values.platform });
  },
});

const toolchains = defineCommand({
  name: 'toolchains',
  summary: "the Go toolchains found here; fetch more from the machine's own apt mirror (no root, nothing installed)",
  positionals: [
    { name: 'ACTION', help: 'list (the default) or fetch', optional: true, choices: ['list', 'fetch'] },
    { name: 'VERSION', help: 'for fetch: 1.19, 1.27, newest, ...', optional: true, many: true },
  ],
  options: { force: FORCE },
  examples: ['toolchains fetch 1.19 1.21 newest', 'toolchains list'],
  run: async ({ values, positionals: [action = 'list', ...versions] }) => {
    const t = await import('./toolchains.js');
    if (action === 'fetch') return t.toolchainsFetch(versions, values.force);
    if (versions.length) throw new UsageError(`toolchains list takes no versions (got ${versions.join(' ')})`);
    return t.toolchainsList();
  },
});

const musl = defineCommand({
  name: 'musl',
  summary: "the musl versions of the libc axis: list those in the cache, or fetch each the archive offers (no root, nothing installed)",
  positionals: [{ name: 'ACTION', help: 'list (the default) or fetch', optional: true, choices: ['list', 'fetch'] }],
  options: { force: FORCE },
  run: async ({ values, positionals: [action = 'list'] }) => {
    const m = await import('../provision/musl.js');
    const found = action === 'fetch' ? await m.fetchMusl({ force: values.force, log: say }) : m.discoverMusl();
    if (found.length === 0) say('no musl in the cache; fetch with: go-dns-harness musl fetch');
    for (const x of found) process.stdout.write(`${x.name}  (package ${x.packageVersion})  CC=${x.gcc}\n`);
  },
});

const platform = defineCommand({
  name: 'platform',
  summary: "the platforms of the platform axis (other Debian releases' glibc, NSS modules and systemd-resolved): list them, or fetch them into the cache (no root, nothing installed)",
  positionals: [
    { name: 'ACTION', help: 'list (the default) or fetch', optional: true, choices: ['list', 'fetch'] },
    { name: 'NAME', help: 'for fetch: debian-11, debian-12, debian-13, debian-sid, or all', optional: true, many: true },
  ],
  options: { force: FORCE, json: JSON_OUT },
  examples: ['platform fetch debian-11 debian-13', 'platform list'],
  run: async ({ values, positionals: [action = 'list', ...names] }) => {
    const p = await import('./platform.js');
    if (action === 'fetch') return p.platformFetch(names, values.force, values.json);
    if (names.length) throw new UsageError(`platform list takes no names (got ${names.join(' ')})`);
    return p.platformList(values.json);
  },
});

const resolved = defineCommand({
  name: 'resolved',
  summary: "provision systemd-resolved (with libnss-resolve) from this release's archive into the cache (no root, nothing installed)",
  positionals: [{ name: 'ACTION', help: 'fetch', choices: ['fetch'] }],
  options: { force: FORCE },
  run: async ({ values }) => {
    const { provisionResolved } = await import('../provision/resolved.js');
    const r = await provisionResolved({ force: values.force, log: say });
    process.stdout.write(`${r.version}\n  daemon ${r.binary}\n  libsystemd-shared in ${r.libDir}\n  nss-resolve ${r.nssResolve}\n`);
  },
});

const report = defineCommand({
  name: 'report',
  summary: 'render a result document again',
  details: `Formats: ${Object.entries(REPORT_FORMATS).map(([f, what]) => `${f} (${what})`).join(', ')}.`,
  positionals: [{ name: 'RESULTS.json', help: 'a result document, e.g. results/results.json' }],
  options: { format: { type: 'string', default: 'markdown', value: REPORT_FORMAT_NAMES.join('|'), help: 'what to render' } },
  examples: ['report results/results.json --format html > results.html'],
  run: async ({ values, positionals: [file = ''] }) => (await import('./results-cmds.js')).report(file, values.format),
});

const lint = defineCommand({
  name: 'lint',
  summary: 'name every loose expectation in the scenarios (when.path, errors without words, no path asserted, no time bound where a timeout is waited on, catch-all entries); exit 1 when any',
  positionals: [{ name: 'NAME|GLOB', help: 'the scenarios to lint (default all)', optional: true, many: true }],
  options: { 'scenarios-dir': SCENARIOS_DIR },
  run: async ({ values, positionals }) => (await import('./lint.js')).lint(positionals, values['scenarios-dir']),
});

const suggest = defineCommand({
  name: 'suggest',
  summary: "strict expectations from the cells of one or more runs of a plan, checked against every run's cells; --write puts them in the scenario files",
  details: 'Cells that behaved alike are grouped by build settings; time bounds come from the measured spread, the wire from the range it took over the runs.',
  positionals: [{ name: 'RESULTS.json|NAME|GLOB', help: 'result documents (.json), then the scenarios to take (default every scenario in them)', many: true }],
  options: { write: { type: 'boolean', help: 'write the expectations into the scenario files' }, 'scenarios-dir': SCENARIOS_DIR },
  examples: ['suggest results/a/results.json results/b/results.json stub-refused --write'],
  run: async ({ values, positionals }) => (await import('./suggest.js')).suggest(positionals, { write: values.write, ...(values['scenarios-dir'] ? { scenariosDir: values['scenarios-dir'] } : {}) }),
});

const baseline = defineCommand({
  name: 'baseline',
  summary: "the behaviour baseline: write one from a run, or check a run against one (exit 1 when a cell's behaviour changed or is not in it)",
  positionals: [
    { name: 'ACTION', help: 'write or check', choices: ['write', 'check'] },
    { name: 'RESULTS.json', help: 'the run to write from or to check' },
  ],
  options: {
    out: { type: 'string', default: 'baseline/default.json', value: 'FILE', help: 'write: the baseline file to write' },
    baseline: { type: 'string', default: 'baseline/default.json', value: 'FILE', help: 'check: the baseline to check against' },
  },
  examples: ['baseline check results/results.json', 'baseline write results/results.json --out baseline/default.json'],
  run: async ({ values, positionals: [action, file = ''] }) => {
    const b = await import('./baseline.js');
    return action === 'write' ? b.baselineWrite(file, values.out) : b.baselineCheckFile(file, values.baseline);
  },
});

const merge = defineCommand({
  name: 'merge',
  summary: 'merge the results of --shard runs into the result of the whole plan',
  positionals: [{ name: 'SHARD.json', help: "each shard's result document", many: true }],
  options: { out: { type: 'string', value: 'FILE', help: 'write the merged document there (default: stdout)' } },
  run: async ({ values, positionals }) => (await import('./results-cmds.js')).merge(positionals, values.out),
});

const diff = defineCommand({
  name: 'diff',
  summary: 'the cells whose verdict, outcome or path changed from A to B (main against a PR, or Go 1.26 against 1.27); exit 1 when a cell that passed fails',
  positionals: [
    { name: 'A.json', help: 'the result before' },
    { name: 'B.json', help: 'the result after' },
  ],
  options: { 'across-go': { type: 'boolean', help: 'pair the cells without their Go version' }, json: JSON_OUT },
  run: async ({ values, positionals: [a = '', b = ''] }) => (await import('./diff.js')).diff(a, b, { acrossGo: values['across-go'], json: values.json }),
});

const flakes = defineCommand({
  name: 'flakes',
  summary: 'run the cells two runs of one plan disagree on N more times and report the flaky ones with their rates; exit 1 when any is flaky',
  positionals: [
    { name: 'A.json', help: 'one run' },
    { name: 'B.json', help: 'another run of the same plan' },
  ],
  options: {
    reruns: { type: 'string', default: '5', value: 'N', help: 'runs of each disputed cell' },
    jobs: { type: 'string', default: '16', value: 'N', help: 'sandboxes at a time' },
    'scenarios-dir': SCENARIOS_DIR,
    out: { type: 'string', value: 'FILE', help: 'also write the report as JSON there' },
    json: JSON_OUT,
  },
  run: async ({ values, positionals: [a = '', b = ''] }) =>
    (await import('./flakes.js')).flakes(a, b, {
      reruns: positiveInt('reruns', values.reruns),
      jobs: positiveInt('jobs', values.jobs),
      json: values.json,
      ...(values.out ? { out: values.out } : {}),
      ...(values['scenarios-dir'] ? { scenariosDir: values['scenarios-dir'] } : {}),
    }),
});

const doctor = defineCommand({
  name: 'doctor',
  summary: 'what this machine allows: sandbox method, toolchains, C compiler, tools',
  options: {},
  run: async () => (await import('./doctor.js')).doctor(),
});

const serve = defineCommand({
  name: 'serve',
  summary: 'run a fake DNS server until Ctrl-C, printing each query as a JSON line',
  options: {
    listen: { type: 'string', multiple: true, default: [], value: 'HOST:PORT/udp|tcp', help: 'an address to serve on (loopback only)' },
    record: { type: 'string', multiple: true, default: [], value: 'NAME=TYPE:VALUE', help: 'a record to answer with' },
    rule: { type: 'string', multiple: true, default: [], value: 'JSON', help: 'a rule (match and action) as JSON' },
    config: { type: 'string', value: 'FILE', help: 'the server options as a JSON file' },
    quiet: { type: 'boolean', help: 'do not print the query log' },
  },
  examples: ['serve --listen 127.0.0.1:5353/udp --record app.example.test=A:192.0.2.10'],
  run: async ({ values }) => (await import('./serve.js')).serve(values),
});

/** Every command, in the order help and the README list them. */
export const COMMANDS: readonly AnyCommand[] = [run, list, repro, report, merge, diff, lint, suggest, baseline, flakes, doctor, exec, toolchains, resolved, musl, platform, serve];

export const commandNamed = (name: string): AnyCommand | undefined => COMMANDS.find((c) => c.name === name);
