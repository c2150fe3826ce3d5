#!/usr/bin/env node
import { causeChain, errorCatalogue, exitCodeFor, HarnessError } from './errors.js';
import { commandHelp, parseCommand, PROGRAM, table } from './cli/command.js';
import { COMMANDS, commandNamed } from './cli/commands.js';

const EXIT_CODES = `exit codes:
  0    all expectations met (exec: the command's own exit code)
  1    some cells failed, or the harness failed
  2    usage or scenario error (the message names file:line:column, field, value)
  3    this machine lacks something (no sandbox, a toolchain, musl or systemd-resolved that cannot be had)
  130  interrupted (Ctrl-C; 143 for SIGTERM)
(go-dns-harness help errors lists every error code and its exit code)`;

export function usage(): string {
  const lines = [`usage: ${PROGRAM} <command> [options]   (${PROGRAM} <command> --help for one command)`, '', 'commands:'];
  lines.push(...table(COMMANDS.map((c) => [c.name, c.summary])));
  lines.push('', EXIT_CODES, '');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return;
  }
  if (name === 'help') {
    if (args[0] === 'errors') return void process.stdout.write(`${EXIT_CODES}\n\nerror codes (go-dns-harness: MESSAGE; with GDH_DEBUG=1 also the code and the stack):\n${errorCatalogue()}`);
    const c = args[0] === undefined ? undefined : commandNamed(args[0]);
    process.stdout.write(c ? commandHelp(c) : usage());
    return;
  }
  const cmd = commandNamed(name);
  if (!cmd) {
    process.stderr.write(`${PROGRAM}: unknown command "${name}"\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  const parsed = parseCommand(cmd, args);
  if (parsed.help) {
    process.stdout.write(commandHelp(cmd));
    return;
  }
  const code = await cmd.run(parsed);
  if (typeof code === 'number') process.exitCode = code;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const code = exitCodeFor(err);
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${PROGRAM}: ${msg}\n`);
  if (err instanceof HarnessError) {
    // The long message, then what lay under it, each once.
    if (err.detail) process.stderr.write(`${err.detail.replace(/^/gm, '  ')}\n`);
    for (const c of causeChain(err)) process.stderr.write(`  because: ${c.replace(/\n/g, '\n    ')}\n`);
    if (process.env.GDH_DEBUG) process.stderr.write(`  [${err.code}] ${err.stack ?? ''}\n`);
  } else {
    process.stderr.write('This is a bug in go-dns-harness; please report it with the command and this trace:\n');
    process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  }
  process.exitCode = code;
});
