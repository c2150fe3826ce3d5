import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { formatListen, startFakeDns, type FakeDnsOptions } from '../index.js';

export interface ServeArgs {
  listen: string[];
  record: string[];
  rule: string[];
  config?: string;
  /** Do not print the query log (benchmarks; the log is still kept in memory). */
  quiet?: boolean;
}

/** `--record app.test=A:192.0.2.1` -> records['app.test'].A = ['192.0.2.1']. */
function addRecord(records: Record<string, Record<string, unknown[]>>, spec: string): void {
  const m = /^([^=]+)=([A-Za-z]+):(.+)$/.exec(spec);
  if (!m) throw new ConfigError('--record', spec, 'expected NAME=TYPE:VALUE, e.g. app.example.test=A:192.0.2.10');
  const [, name = '', type = '', value = ''] = m;
  const byType = (records[name] ??= {});
  const t = type.toUpperCase();
  const parsed: unknown = value.startsWith('{') ? parseJson(value, '--record') : value;
  if (t === 'CNAME') byType[t] = parsed as unknown as unknown[];
  else (byType[t] ??= []).push(parsed);
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(field, text, `expected JSON (${(err as Error).message})`);
  }
}

/** Runs a fake server until SIGINT/SIGTERM, printing each query as one JSON line on stdout. */
export async function serve(args: ServeArgs): Promise<void> {
  let options: Record<string, unknown> = {};
  let source = 'command line';
  if (args.config) {
    source = args.config;
    const text = await readFile(args.config, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new ConfigError('--config', args.config, `cannot read it (${err.code ?? err.message})`);
    });
    options = parseJson(text, args.config) as Record<string, unknown>;
  }
  const records = (options.records ?? {}) as Record<string, Record<string, unknown[]>>;
  for (const r of args.record) addRecord(records, r);
  const rules = [...((options.rules as unknown[]) ?? []), ...args.rule.map((r) => parseJson(r, '--rule'))];
  const listen = [...((options.listen as string[]) ?? []), ...args.listen];
  const server = await startFakeDns({ ...options, listen, records, rules } as FakeDnsOptions, source);
  if (!args.quiet) server.log.subscribe((q) => process.stdout.write(`${JSON.stringify(q)}\n`));
  process.stderr.write(`go-dns-harness: serving on ${server.addresses.map(formatListen).join(', ')}; Ctrl-C stops\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
}
