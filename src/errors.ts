/**
 * The catalogue of every code the harness raises on purpose: what it means, and the exit code it
 * ends the command line with. Codes are stable strings, so callers branch on them, never on
 * messages (which may change). Exit codes: 1 the harness or a cell failed, 2 the user's input is
 * wrong, 3 this machine lacks something.
 */
export const ERROR_CODES = {
  GDH_USAGE: { exit: 2, means: 'the command line is wrong: a missing or unexpected argument, an unknown option, a value out of range' },
  GDH_CONFIG: { exit: 2, means: 'a scenario file or a server option is not valid (file:line:column, the field, the value and what is allowed)' },
  GDH_RESULTS: { exit: 2, means: 'a result document cannot be read, or is not one (the file and what is wrong in it)' },
  GDH_BASELINE: { exit: 2, means: 'a baseline file cannot be read, or is not one' },
  GDH_PLAN: { exit: 2, means: 'the scenarios and axes asked for make no plan (a scenario with nothing to look up, a cell id that names no cell)' },
  GDH_ENV: { exit: 3, means: 'this machine lacks something the command needs (no Go toolchain found, fetching disallowed)' },
  GDH_SANDBOX: { exit: 3, means: 'no sandbox can be created here (every method, why it failed, and the fixes)' },
  GDH_APT: { exit: 3, means: "the machine's apt configuration names no archive to fetch from" },
  GDH_TOOLCHAIN: { exit: 3, means: 'a Go toolchain cannot be fetched, or does not work' },
  GDH_MUSL: { exit: 3, means: 'musl cannot be fetched, or its compiler wrapper does not build a working program' },
  GDH_PLATFORM: { exit: 3, means: 'a platform (another Debian release\'s glibc and systemd-resolved) cannot be fetched, or a program built against it does not run' },
  GDH_RESOLVED: { exit: 3, means: 'systemd-resolved cannot be provisioned, or does not start' },
  GDH_BIND: { exit: 3, means: 'a fake server cannot listen on its address (in use, a privileged port, no such address)' },
  GDH_PROGRAM: { exit: 2, means: 'the --program path is neither a Go main package in a module nor an executable file (what it is, and what to give)' },
  GDH_PROGRAM_MODULES: { exit: 3, means: 'the program needs modules that are neither in the module cache nor in vendor/ (which, and the command that fetches them; the harness never downloads)' },
  GDH_PROGRAM_BUILD: { exit: 1, means: "the user's program did not build with a toolchain that works (the compiler's output says why)" },
  GDH_PROBE_BUILD: { exit: 1, means: "the Go probe did not build with a toolchain that works (the compiler's output says why)" },
  GDH_SANDBOX_RUN: { exit: 1, means: 'a sandbox that started failed while running (its worker exited or said something unexpected)' },
  GDH_INTERNAL: { exit: 1, means: "the harness's own files are not as it expects (a bug, or a hand edit)" },
} as const satisfies Record<string, { exit: 1 | 2 | 3; means: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface HarnessErrorOptions {
  cause?: unknown;
  /** The long message: context and what to do, printed under the short one. */
  detail?: string;
}

/** Every error the harness raises on purpose: a code from the catalogue, a short message, maybe a long one, and its cause. */
export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  constructor(code: ErrorCode, message: string, options?: HarnessErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.detail = options?.detail;
  }

  get exitCode(): 1 | 2 | 3 {
    return ERROR_CODES[this.code].exit;
  }
}

/** The exit code an error ends the command line with: the catalogue's for ours, 1 (a bug) for any other. */
export const exitCodeFor = (err: unknown): number => (err instanceof HarnessError ? err.exitCode : 1);

/**
 * The causes under an error that say more than its message already does (messages often quote
 * their cause's first line), outermost first.
 */
export function causeChain(err: Error): string[] {
  const out: string[] = [];
  let said = err.message;
  for (let c = err.cause, depth = 0; c !== undefined && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const text = (c instanceof Error ? c.message : String(c)).trim();
    const first = text.split('\n')[0] ?? '';
    const lines = text.split('\n');
    if (first && !said.includes(first)) out.push(lines.length > 3 ? `${lines.slice(0, 3).join('\n')}\n...` : text);
    said += `\n${text}`;
  }
  return out;
}

const ECHO_MAX = 300;

/** A value as an error quotes it: JSON, cut to a line so a huge document is not poured on the terminal. */
export function echo(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= ECHO_MAX ? text : `${text.slice(0, ECHO_MAX)}… (${text.length} characters)`;
}

/** `field: VALUE is not valid; what is allowed`, or `field: missing; ...` where there is no value. */
export const notValid = (field: string, value: unknown, allowed: string): string =>
  value === undefined ? `${field}: missing; ${allowed.replace(/, received undefined$/, '')}` : `${field}: ${echo(value)} is not valid; ${allowed}`;

/** A configuration value is wrong: names where it came from, the field, the value and what is allowed. */
export class ConfigError extends HarnessError {
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown, allowed: string, source?: string) {
    const where = source ? `${source}: ` : '';
    super('GDH_CONFIG', `${where}${notValid(field, value, allowed)}`);
    this.field = field;
    this.value = value;
  }
}

/** A command line that cannot be right: a missing argument, an unknown word, a value out of range. */
export class UsageError extends HarnessError {
  constructor(message: string, options?: HarnessErrorOptions) {
    super('GDH_USAGE', message, options);
  }
}

/** A socket could not be bound; the message says which address and why, and what to try. */
export class BindError extends HarnessError {
  readonly listen: string;
  constructor(listen: string, cause: NodeJS.ErrnoException) {
    const hint =
      cause.code === 'EACCES'
        ? 'ports below 1024 need root (or CAP_NET_BIND_SERVICE); run inside the sandbox or pick a port above 1024'
        : cause.code === 'EADDRINUSE'
          ? 'another process listens there (on Ubuntu, systemd-resolved owns 127.0.0.53:53); use the sandbox or another address'
          : cause.code === 'EADDRNOTAVAIL'
            ? 'that address is not configured on any interface (is the loopback up?)'
            : 'check the address';
    super('GDH_BIND', `cannot listen on ${listen}: ${cause.code ?? cause.message}; ${hint}`, { cause });
    this.listen = listen;
  }
}

/** The catalogue as text, for `help errors` and the README: code, exit code, meaning. */
export function errorCatalogue(): string {
  const w = Math.max(...Object.keys(ERROR_CODES).map((c) => c.length));
  return `${Object.entries(ERROR_CODES).map(([code, e]) => `${code.padEnd(w)}  exit ${e.exit}  ${e.means}`).join('\n')}\n`;
}
