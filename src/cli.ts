#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarnessError, UsageError } from './errors.js';
import { STUB_MODES, type StubMode } from './resolved/spec.js';
import { MATRIX_HELP, MATRIX_OPTIONS, type MatrixArgs } from './cli/matrix-options.js';
import { REPORT_FORMATS, REPORT_FORMAT_NAMES } from './cli/report-formats.js';

type Options = NonNullable<ParseArgsConfig['options']>;

interface Command {
  usage: string;
  summary: string;
  options: Options;
  positionals?: boolean;
  run(values: Record<string, unknown>, positionals: string[], rest: string[]): Promise<number | void>;
}


const commands: Record<string, Command> = {
  run: {
    usage: `run [${MATRIX_HELP}] [--jobs N] [--out DIR] [--pcap-dir DIR] [--baseline FILE] [--json]`,
    summary: "run the matrix (all scenarios x toolchains x cgo x netdns by default); write DIR/results.json and results.md; --baseline: also report every cell whose behaviour differs from the baseline's (exit 1)",
    options: { ...MATRIX_OPTIONS, jobs: { type: 'string', default: '16' }, out: { type: 'string', default: 'results' }, 'pcap-dir': { type: 'string' }, baseline: { type: 'string' }, json: { type: 'boolean', default: false } },
    run: async (v) => (await import('./cli/run.js')).run(v as never, process.argv.slice(2)),
  },
  list: {
    usage: `list [${MATRIX_HELP}] [--json]`,
    summary: 'list scenarios and toolchains; with --json, every planned cell',
    options: { ...MATRIX_OPTIONS, json: { type: 'boolean', default: false } },
    run: async (v) => (await import('./cli/list.js')).list(v as unknown as MatrixArgs, Boolean(v.json)),
  },
  repro: {
    usage: 'repro CELL-ID [--pcap FILE] [--scenarios-dir DIR] [--json]',
    summary: 're-run one cell verbosely: files, every query, the probe stderr and result; --pcap writes its DNS traffic as a pcap file',
    options: { json: { type: 'boolean', default: false }, pcap: { type: 'string' }, 'scenarios-dir': { type: 'string' } },
    positionals: true,
    run: async (v, pos) => {
      if (pos.length !== 1) throw new UsageError('usage: go-dns-harness repro CELL-ID (ids look like stub-refused:go1.27.4:cgo=1:netdns=go)');
      return (await import('./cli/repro.js')).repro(pos[0] as string, Boolean(v.json), v.pcap ? String(v.pcap) : undefined, v['scenarios-dir'] ? String(v['scenarios-dir']) : undefined);
    },
  },
  exec: {
    usage: 'exec SCENARIO [--json] [--timeout S] [--stub real|emulated|passthrough] -- CMD [ARGS...]',
    summary: "run any command (dig, getent ahosts, your Go binary) in the scenario's sandbox; print the query log",
    options: { json: { type: 'boolean', default: false }, timeout: { type: 'string', default: '60' }, stub: { type: 'string', default: 'real' } },
    positionals: true,
    run: async (v, pos, rest) => {
      const [scenario] = pos;
      if (!scenario || rest.length === 0) throw new UsageError('usage: go-dns-harness exec SCENARIO [--json] [--timeout SECONDS] -- CMD [ARGS...]');
      const timeout = Number(v.timeout);
      if (!(timeout > 0)) throw new UsageError(`--timeout: "${String(v.timeout)}" is not a number of seconds`);
      const stub = String(v.stub);
      if (!(STUB_MODES as readonly string[]).includes(stub)) throw new UsageError(`--stub: "${stub}" is not one of ${STUB_MODES.join(', ')}`);
      return (await import('./cli/exec.js')).exec({ scenario, command: rest, json: Boolean(v.json), timeoutMs: timeout * 1000, stub: stub as StubMode });
    },
  },
  toolchains: {
    usage: 'toolchains list | toolchains fetch [--force] 1.19 1.27 newest ...',
    summary: "Go toolchains found here and fetchable; fetch from the machine's own apt mirror (no root, nothing installed)",
    options: { force: { type: 'boolean', default: false } },
    positionals: true,
    run: async (v, pos) => {
      const [sub, ...versions] = pos;
      const t = await import('./cli/toolchains.js');
      if (sub === 'fetch') return t.toolchainsFetch(versions, Boolean(v.force));
      if (sub === 'list' || sub === undefined) return t.toolchainsList();
      throw new UsageError(`unknown toolchains command "${sub}"; use list or fetch`);
    },
  },
  musl: {
    usage: 'musl list | musl fetch [--force]',
    summary: "musl versions for the libc axis: list those in the cache, or fetch each the archive offers (on Debian: bookworm's, trixie's and sid's; no root, nothing installed)",
    options: { force: { type: 'boolean', default: false } },
    positionals: true,
    run: async (v, pos) => {
      const m = await import('./libc/musl.js');
      const [sub] = pos;
      if (sub !== 'fetch' && sub !== 'list' && sub !== undefined) throw new UsageError(`unknown musl command "${sub}"; use list or fetch`);
      const list = sub === 'fetch' ? await m.fetchMusl({ force: Boolean(v.force), log: (s) => process.stderr.write(`go-dns-harness: ${s}\n`) }) : m.discoverMusl();
      if (list.length === 0) process.stderr.write('go-dns-harness: no musl in the cache; fetch with: go-dns-harness musl fetch\n');
      for (const x of list) process.stdout.write(`${x.name}  (package ${x.packageVersion})  CC=${x.gcc}\n`);
    },
  },
  resolved: {
    usage: 'resolved fetch [--force]',
    summary: "provision systemd-resolved (with libnss-resolve) from this release's archive into the cache (no root, nothing installed)",
    options: { force: { type: 'boolean', default: false } },
    positionals: true,
    run: async (v, pos) => {
      if (pos[0] !== 'fetch') throw new UsageError(`unknown resolved command "${pos[0] ?? ''}"; use fetch`);
      const { provisionResolved } = await import('./resolved/provision.js');
      const r = await provisionResolved({ force: Boolean(v.force), log: (s) => process.stderr.write(`go-dns-harness: ${s}\n`) });
      process.stdout.write(`${r.version}\n  daemon ${r.binary}\n  libsystemd-shared in ${r.libDir}\n  nss-resolve ${r.nssResolve}\n`);
    },
  },
  report: {
    usage: `report RESULTS.json [--format ${REPORT_FORMAT_NAMES.join('|')}]`,
    summary: `render a result document again (${Object.entries(REPORT_FORMATS).map(([f, what]) => `${f}: ${what}`).join('; ')})`,
    options: { format: { type: 'string', default: 'markdown' } },
    positionals: true,
    run: async (v, pos) => {
      if (pos.length !== 1) throw new UsageError('usage: go-dns-harness report RESULTS.json');
      (await import('./cli/results-cmds.js')).report(pos[0] as string, String(v.format));
    },
  },
  lint: {
    usage: 'lint [NAME|GLOB ...] [--scenarios-dir DIR]',
    summary: 'name every loose expectation in the scenarios (when.path, errors without words, no path asserted, no time bound where a timeout is waited on, catch-all entries); exit 1 when any',
    options: { 'scenarios-dir': { type: 'string' } },
    positionals: true,
    run: async (v, pos) => (await import('./cli/lint.js')).lint(pos, v['scenarios-dir'] ? String(v['scenarios-dir']) : undefined),
  },
  suggest: {
    usage: 'suggest RESULTS.json [MORE.json ...] [NAME|GLOB ...] [--write] [--scenarios-dir DIR]',
    summary: "strict expectations from the cells of one or more runs of a plan (the cells that behaved alike, selected by build settings, time bounds from the measured spread, the wire as the range it took over the runs), checked against every run's cells; --write puts them in the scenario files",
    options: { write: { type: 'boolean', default: false }, 'scenarios-dir': { type: 'string' } },
    positionals: true,
    run: async (v, pos) => (await import('./cli/suggest.js')).suggest(pos, { write: Boolean(v.write), ...(v['scenarios-dir'] ? { scenariosDir: String(v['scenarios-dir']) } : {}) }),
  },
  baseline: {
    usage: 'baseline write RESULTS.json [--out FILE] | baseline check RESULTS.json [--baseline FILE]',
    summary: "the behaviour baseline (default baseline/default.json): write one from a run, or check a run against one (exit 1 when any cell's behaviour changed or is not in it)",
    options: { out: { type: 'string', default: 'baseline/default.json' }, baseline: { type: 'string', default: 'baseline/default.json' } },
    positionals: true,
    run: async (v, pos) => {
      const [sub, file, ...more] = pos;
      if ((sub !== 'write' && sub !== 'check') || !file || more.length) throw new UsageError('usage: go-dns-harness baseline write RESULTS.json [--out FILE] | baseline check RESULTS.json [--baseline FILE]');
      const b = await import('./cli/baseline.js');
      return sub === 'write' ? b.baselineWrite(file, String(v.out)) : b.baselineCheckFile(file, String(v.baseline));
    },
  },
  merge: {
    usage: 'merge SHARD.json... [--out FILE]',
    summary: 'merge the results of --shard runs into the result of the whole plan',
    options: { out: { type: 'string' } },
    positionals: true,
    run: async (v, pos) => {
      if (pos.length === 0) throw new UsageError('usage: go-dns-harness merge SHARD.json... [--out FILE]');
      return (await import('./cli/results-cmds.js')).merge(pos, v.out as string | undefined);
    },
  },
  diff: {
    usage: 'diff A.json B.json [--across-go] [--json]',
    summary: 'the cells whose verdict, outcome or path changed from A to B (main vs a PR, or Go 1.26 vs 1.27: paired without the Go version); exit 1 when a cell that passed fails',
    options: { 'across-go': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    positionals: true,
    run: async (v, pos) => {
      if (pos.length !== 2) throw new UsageError('diff needs two result files: diff A.json B.json');
      return (await import('./cli/compare.js')).diff(pos[0] as string, pos[1] as string, { acrossGo: Boolean(v['across-go']), json: Boolean(v.json) });
    },
  },
  flakes: {
    usage: 'flakes A.json B.json [--reruns N] [--jobs N] [--scenarios-dir DIR] [--out FILE] [--json]',
    summary: 'run the cells two runs of one plan disagree on N more times (default 5) and report the flaky ones with their rates; exit 1 when any is flaky',
    options: { reruns: { type: 'string', default: '5' }, jobs: { type: 'string', default: '16' }, 'scenarios-dir': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false } },
    positionals: true,
    run: async (v, pos) => {
      if (pos.length !== 2) throw new UsageError('flakes needs two result files: flakes A.json B.json');
      return (await import('./cli/compare.js')).flakes(pos[0] as string, pos[1] as string, {
        reruns: String(v.reruns),
        jobs: String(v.jobs),
        json: Boolean(v.json),
        ...(v.out ? { out: String(v.out) } : {}),
        ...(v['scenarios-dir'] ? { scenariosDir: String(v['scenarios-dir']) } : {}),
      });
    },
  },
  doctor: {
    usage: 'doctor',
    summary: 'what this machine allows: sandbox method, toolchains, C compiler, tools',
    options: {},
    run: async () => (await import('./cli/doctor.js')).doctor(),
  },
  serve: {
    usage: 'serve --listen HOST:PORT/udp|tcp ... [--record NAME=TYPE:VALUE ...] [--rule JSON ...] [--config FILE] [--quiet]',
    summary: 'run a fake DNS server until Ctrl-C, printing each query as a JSON line',
    options: {
      listen: { type: 'string', multiple: true, default: [] },
      record: { type: 'string', multiple: true, default: [] },
      rule: { type: 'string', multiple: true, default: [] },
      config: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    run: async (v) => (await import('./cli/serve.js')).serve(v as never),
  },
};

const EXIT_CODES = `exit codes:
  0    all expectations met (exec: the command's own exit code)
  1    some cells failed, or the harness failed
  2    usage or scenario error (the message names file:line:column, field, value)
  3    environment unavailable (no sandbox can be created here)
  130  interrupted (Ctrl-C; 143 for SIGTERM)`;

export function usage(): string {
  const lines = ['usage: go-dns-harness <command> [options]', '', 'commands:'];
  for (const c of Object.values(commands)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push('', EXIT_CODES, '');
  return lines.join('\n');
}

/** Exit codes: see EXIT_CODES. */
function exitCodeFor(err: unknown): number {
  if (err instanceof HarnessError) return err.code === 'GDH_SANDBOX' || err.code === 'GDH_ENV' ? 3 : err.code === 'GDH_CONFIG' ? 2 : 1;
  if (isUsageError(err)) return 2;
  return 1;
}

function isUsageError(err: unknown): boolean {
  return String((err as NodeJS.ErrnoException)?.code ?? '').startsWith('ERR_PARSE_ARGS');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`go-dns-harness: unknown command "${name}"\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  const dash = args.indexOf('--');
  const own = dash < 0 ? args : args.slice(0, dash);
  const rest = dash < 0 ? [] : args.slice(dash + 1);
  const { values, positionals } = parseArgs({ args: own, options: cmd.options, allowPositionals: Boolean(cmd.positionals), strict: true });
  const code = await cmd.run(values, positionals, rest);
  if (typeof code === 'number') process.exitCode = code;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const code = exitCodeFor(err);
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`go-dns-harness: ${msg}\n`);
  if (isUsageError(err)) process.stderr.write(usage());
  if (code === 1 && !(err instanceof HarnessError)) {
    process.stderr.write('This is a bug in go-dns-harness; please report it with the command and this trace:\n');
    process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  }
  process.exitCode = code;
});
