/**
 * Every error the harness raises on purpose carries a stable `code`, so callers (and the CLI's
 * exit-code mapping) can branch on it without parsing messages.
 */
export class HarnessError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value is wrong: names where it came from, the field, the value and what is allowed. */
export class ConfigError extends HarnessError {
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown, allowed: string, source?: string) {
    const where = source ? `${source}: ` : '';
    super('GDH_CONFIG', `${where}${field}: ${JSON.stringify(value)} is not valid; ${allowed}`);
    this.field = field;
    this.value = value;
  }
}

/** A command line that cannot be right: a missing argument, an unknown word, a value out of range. */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super('GDH_CONFIG', message);
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
