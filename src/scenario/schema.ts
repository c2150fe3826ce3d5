import { z } from 'zod';
import { oneOrMany, serverOptionsSchema, type ResolvedFakeDnsOptions } from '../dns/options-schema.js';
import { parseListen } from '../dns/listen.js';
import { resolvedServerSchema, stubListenerOn, type ResolvedServer } from '../resolved/spec.js';
import { whenShape } from '../plan/axes.js';
import { DEFAULT_FILES, PLATFORM_DEFAULT } from './platform-default.js';

export const LOOKUP_KINDS = ['host', 'ip4', 'ip6', 'addr', 'cname', 'mx', 'srv', 'txt', 'ns'] as const;

/** `host app.example.test`: what the probe looks up, and how. */
export const lookupSchema = z
  .string()
  .trim()
  .regex(new RegExp(`^(${LOOKUP_KINDS.join('|')}) \\S+$`), `expected "KIND NAME" with KIND one of ${LOOKUP_KINDS.join(', ')}, e.g. "host app.example.test"`);

/**
 * A file shown inside the sandbox: a bare name means /etc/NAME, an absolute path is used as it
 * is; null means the file does not exist there; `platform-default` means the file as the cell's
 * platform installs it (all of resolv.conf, nsswitch.conf and hosts when `files` is that word).
 */
const filesSchema = z
  .union([
    z.literal(PLATFORM_DEFAULT).transform((): Record<string, string | null> => Object.fromEntries(DEFAULT_FILES.map((f) => [f, PLATFORM_DEFAULT]))),
    z.record(z.string().regex(/^(\/[^\0]+|[A-Za-z0-9._-]+)$/, 'a file name (resolv.conf) or an absolute path'), z.string().nullable()).superRefine((files, ctx) => {
      for (const [name, v] of Object.entries(files)) {
        if (v === PLATFORM_DEFAULT && !(DEFAULT_FILES as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path: [name], input: v, message: `only ${DEFAULT_FILES.join(', ')} have platform defaults` });
      }
    }),
  ])
  .default({});

/** ">=1.21", "<1.24", "1.19", "1.21-1.23": a Go minor version or range. */
const goRange = z
  .string()
  .trim()
  .regex(/^((>=|<=|>|<|=)?\s*1\.\d+|1\.\d+\s*-\s*1\.\d+)$/, 'a Go version or range: 1.19, >=1.21, <1.24, 1.21-1.23');

/**
 * Which cells (and lookups) an expectation speaks for; every field given must hold. Besides the
 * Go range, the path and the lookup, its fields are the axes' own (src/plan/axes.ts): cgo,
 * netdns, libc (glibc, musl, musl-1.2.3, musl<1.2.4), stub, godebug and tags (one member, or
 * "none"), goModGo.
 */
export const whenSchema = z.strictObject({
  go: oneOrMany(goRange).optional(),
  ...whenShape(),
  /** The path Go declared (its netdns trace) for the lookup. */
  path: z.enum(['go', 'cgo']).optional(),
  /** Only this lookup, as written in `lookups`. */
  lookup: lookupSchema.optional(),
});

/** A query count: exactly 2, a range "2-4", or a bound ">=1", "<=3". */
const countSchema = z.union([z.number().int().min(0), z.string().trim().regex(/^(\d+-\d+|>=\d+|<=\d+)$/, 'a count: 2, a range "2-4", or a bound ">=1", "<=3"')]);

/**
 * What one fake server saw for the lookup (queries whose name is the lookup's, or the lookup's
 * with a search domain added): how many, over which transport, with or without EDNS0.
 */
export const wireExpectSchema = z.strictObject({
  /** Index in `servers` (the fake ones, in order; a `kind: resolved` entry does not count). */
  server: z.number().int().min(0).default(0),
  queries: countSchema.optional(),
  udp: countSchema.optional(),
  tcp: countSchema.optional(),
  /** Every query had no OPT record (none), had one (present), or advertised this UDP size. */
  opt: z.union([z.enum(['none', 'present']), z.number().int().min(512)]).optional(),
  /**
   * true: a query came while the server still held back its reply to an earlier one (the client
   * asked at once, e.g. A and AAAA in parallel); false: each came only after the reply before it
   * left (one after the other, e.g. single-request). Only a server that delays its replies shows
   * this, so it is checked only there.
   */
  overlap: z.boolean().optional(),
});

/** Go's *net.DNSError flags, where they are part of the behaviour (a timeout Go reports as temporary, ...). */
const flagsSchema = z.strictObject({ temporary: z.boolean().optional(), timeout: z.boolean().optional(), notFound: z.boolean().optional() });

export const expectationSchema = z.strictObject({
  /** Which cells this entry speaks for: every field given must hold; a list means any of its items. */
  when: z.union([whenSchema, z.array(whenSchema).min(1)]).default({}).transform((w) => (Array.isArray(w) ? w : [w])),
  /** ok; error (any); or a kind of error: timeout, notfound, temporary. */
  result: z.enum(['ok', 'error', 'timeout', 'notfound', 'temporary']),
  /** ok: exactly these addresses (order does not matter). */
  addrs: z.array(z.string()).optional(),
  /** ok: exactly this many addresses (for answers too long to list). */
  addrCount: z.number().int().min(0).optional(),
  /** error: text the error must contain, or /a regex/. */
  error: z.string().optional(),
  /** The path Go must declare. */
  path: z.enum(['go', 'cgo']).optional(),
  /** error: the *net.DNSError flags Go must report. */
  flags: flagsSchema.optional(),
  /** Faster than this fails: the wait (a timeout, a retry) it stands for did not happen. */
  minMs: z.number().int().min(0).optional(),
  /** Slower than this is its own outcome ("slow"), even when the result is right. */
  maxMs: z.number().int().positive().optional(),
  /** What the fake servers saw for this lookup, per server. */
  wire: z.array(wireExpectSchema).optional(),
  /** Why this is the expected behaviour: a sentence, with the measurement or doc behind it. */
  why: z.string().optional(),
  /**
   * The cells this entry speaks for are known not to meet it (a bug, with its link): they must
   * keep failing it. When one meets it, it fails and asks for this marker to be removed.
   */
  knownFailing: z.string().min(1).optional(),
});

export type Expectation = z.output<typeof expectationSchema>;
export type When = z.output<typeof whenSchema>;
export type WireExpect = z.output<typeof wireExpectSchema>;

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes, e.g. stub-refused'),
  summary: z.string().min(1, 'say in one sentence what the scenario sets up'),
  refs: z.array(z.string().min(1)).default([]),
  files: filesSchema,
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string()).default({}),
  /** Fake DNS servers, and at most one `kind: resolved`: the real systemd-resolved on 127.0.0.53. */
  servers: z.array(z.discriminatedUnion('kind', [resolvedServerSchema, serverOptionsSchema])).default([]),
  lookups: z.array(lookupSchema).default([]),
  /** Per lookup, the first expectation whose `when` matches applies; none matching is a failure. */
  expect: z.array(expectationSchema).default([]),
  /** Probe timeout per lookup. */
  timeoutMs: z.number().int().positive().default(20_000),
  /** Free-form labels for selection. */
  tags: z.array(z.string()).default([]),
  /**
   * Extra axis values this scenario needs, added to the run's own (e.g. GODEBUG netedns0=0 as the
   * workaround under test, or the go.mod go line 1.18): "none" is the plain value.
   */
  axes: z
    .strictObject({
      godebug: z.array(z.string().min(1)).optional(),
      tags: z.array(z.string().min(1)).optional(),
      goModGo: z.array(z.string().regex(/^1\.\d+$/, 'a go line like 1.18')).optional(),
    })
    .default({}),
}).superRefine((s, ctx) => {
  // Two fake servers on one address and transport: the second could not bind at run time.
  const taken = new Map<string, number>();
  s.servers.forEach((srv, i) => {
    if (srv.kind === 'resolved') return;
    srv.listen.forEach((l, j) => {
      let key: string;
      try {
        const a = parseListen(l);
        key = `${a.host}:${a.port}/${a.transport}`;
      } catch {
        return;
      }
      const first = taken.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['servers', i, 'listen', j], input: l, message: first === i ? 'listed twice' : `servers[${first}] listens there already; give each server its own address` });
      else taken.set(key, i);
    });
  });
  const resolved = s.servers.flatMap((srv, i) => (srv.kind === 'resolved' ? [{ srv, i }] : []));
  if (resolved.length > 1) ctx.addIssue({ code: 'custom', path: ['servers', resolved[1]?.i ?? 0, 'kind'], input: 'resolved', message: 'only one systemd-resolved can run in a sandbox' });
  const real = resolved[0]?.srv;
  if (!real || real.kind !== 'resolved' || !stubListenerOn(real)) return;
  // The real stub owns port 53 on 127.0.0.53 and 127.0.0.54 (unless DNSStubListener=no).
  s.servers.forEach((srv, i) => {
    if (srv.kind === 'resolved') return;
    srv.listen.forEach((l, j) => {
      let a;
      try {
        a = parseListen(l);
      } catch {
        return;
      }
      if ((a.host === '127.0.0.53' || a.host === '127.0.0.54') && a.port === 53) {
        ctx.addIssue({ code: 'custom', path: ['servers', i, 'listen', j], input: l, message: 'systemd-resolved listens there in this scenario; give its upstream another address, e.g. 127.0.0.2:53/udp' });
      }
    });
  });
});

/** Splits a parsed scenario's servers into the fake ones and the resolved one. */
export function splitServers(servers: z.output<typeof scenarioSchema>['servers']): { servers: ResolvedFakeDnsOptions[]; resolved?: ResolvedServer } {
  const fakes: ResolvedFakeDnsOptions[] = [];
  let resolved: ResolvedServer | undefined;
  for (const s of servers) {
    if (s.kind === 'resolved') resolved = s;
    else fakes.push(s);
  }
  return { servers: fakes, ...(resolved ? { resolved } : {}) };
}

export type Scenario = Omit<z.output<typeof scenarioSchema>, 'servers'> & {
  /** The fake servers (every entry but the resolved one, in order). */
  servers: ResolvedFakeDnsOptions[];
  /** The `kind: resolved` entry, when there is one. */
  resolved?: ResolvedServer;
  /** The file it was read from. */
  source: string;
};
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** A parsed scenario as the harness uses it: the servers split, the file it came from. */
export function scenarioFrom(data: z.output<typeof scenarioSchema>, source: string): Scenario {
  return { ...data, ...splitServers(data.servers), source };
}
