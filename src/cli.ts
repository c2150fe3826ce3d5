#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { HarnessError } from './errors.js';

const USAGE = `usage: go-dns-harness <command> [options]

commands:
  exec SCENARIO [--json] [--timeout S] -- CMD [ARGS...]
                              run any command (dig, getent ahosts, your Go binary) inside the
                              scenario's sandbox with its fake DNS servers up; print the query log
  toolchains list             Go toolchains found here, and the ones the distribution archive offers
  toolchains fetch [--force] 1.19 1.27 newest ...
                              download golang-1.N from the machine's own apt mirror into the cache
                              (apt-get download + dpkg-deb -x: no root, nothing installed)
  serve   run a fake DNS server until Ctrl-C; prints each query as a JSON line
          --listen HOST:PORT/udp|tcp   (repeatable; loopback only)
          --record NAME=TYPE:VALUE     (repeatable; VALUE may be JSON for MX/SRV/SOA)
          --rule JSON                  (repeatable; e.g. '{"action":"refuse"}')
          --config FILE                (JSON with listen, records, rules, ...)
          --quiet                      (do not print queries)
`;

class UsageError extends HarnessError {
  constructor(message: string) {
    super('GDH_CONFIG', message);
  }
}

/** Exit codes: 0 ok, 1 internal error, 2 bad input, 3 sandbox unavailable. */
function exitCodeFor(err: unknown): number {
  if (err instanceof HarnessError) return err.code === 'GDH_SANDBOX' ? 3 : err.code === 'GDH_CONFIG' ? 2 : 1;
  if (isUsageError(err)) return 2;
  return 1;
}

function isUsageError(err: unknown): boolean {
  return String((err as NodeJS.ErrnoException)?.code ?? '').startsWith('ERR_PARSE_ARGS');
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: {
          listen: { type: 'string', multiple: true, default: [] },
          record: { type: 'string', multiple: true, default: [] },
          rule: { type: 'string', multiple: true, default: [] },
          config: { type: 'string' },
          quiet: { type: 'boolean', default: false },
        },
        strict: true,
      });
      const { serve } = await import('./cli/serve.js');
      await serve({ ...values, ...(values.config ? { config: values.config } : {}) } as Parameters<typeof serve>[0]);
      return;
    }
    case 'exec': {
      const dash = rest.indexOf('--');
      const own = dash < 0 ? rest : rest.slice(0, dash);
      const command = dash < 0 ? [] : rest.slice(dash + 1);
      const { values, positionals } = parseArgs({
        args: own,
        options: { json: { type: 'boolean', default: false }, timeout: { type: 'string', default: '60' } },
        allowPositionals: true,
        strict: true,
      });
      const [scenario] = positionals;
      if (!scenario || command.length === 0) throw new UsageError('usage: go-dns-harness exec SCENARIO [--json] [--timeout SECONDS] -- CMD [ARGS...]');
      const timeout = Number(values.timeout);
      if (!(timeout > 0)) throw new UsageError(`--timeout: "${values.timeout}" is not a number of seconds`);
      const { exec } = await import('./cli/exec.js');
      process.exitCode = await exec({ scenario, command, json: values.json, timeoutMs: timeout * 1000 });
      return;
    }
    case 'toolchains': {
      const [sub, ...vals] = rest;
      const { values, positionals } = parseArgs({ args: vals, options: { force: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
      const { toolchainsFetch, toolchainsList } = await import('./cli/toolchains.js');
      if (sub === 'fetch') await toolchainsFetch(positionals, values.force);
      else if (sub === 'list' || sub === undefined) await toolchainsList();
      else throw new UsageError(`unknown toolchains command "${sub}"; use list or fetch`);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`go-dns-harness: unknown command "${command}"\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const code = exitCodeFor(err);
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`go-dns-harness: ${msg}\n`);
  if (isUsageError(err)) process.stderr.write(USAGE);
  if (code === 1 && !(err instanceof HarnessError)) {
    process.stderr.write('This is a bug in go-dns-harness; please report it with the command and this trace:\n');
    process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  }
  process.exitCode = code;
});
