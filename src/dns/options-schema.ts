import { isIP } from 'node:net';
import { z } from 'zod';
import { parseListen } from './listen.js';
import { EXTENDED_RCODES } from './codes.js';

/** A value or a list of them, always a list after parsing (YAML reads better without brackets). */
export const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));

const domain = z
  .string()
  .trim()
  .min(1, 'expected a domain name')
  .regex(/^(\*\.)?([^.\s]+\.)*[^.\s]*\.?$/, 'expected a domain name like app.example.test')
  .transform((s) => (s.length > 1 ? s.replace(/\.$/, '') : s));
const u16 = z.number().int().min(0).max(65535);
const u31 = z.number().int().min(0).max(0x7fffffff);
const ipv4 = z.string().refine((s) => isIP(s) === 4, 'expected an IPv4 address');
const ipv6 = z.string().refine((s) => isIP(s) === 6, 'expected an IPv6 address');
const txtString = z.string().refine((s) => Buffer.byteLength(s) <= 255, 'a TXT string holds at most 255 bytes');

export const nameRecordsSchema = z.strictObject({
  A: oneOrMany(ipv4).optional(),
  AAAA: oneOrMany(ipv6).optional(),
  CNAME: domain.optional(),
  PTR: oneOrMany(domain).optional(),
  NS: oneOrMany(domain).optional(),
  MX: oneOrMany(z.strictObject({ preference: u16, exchange: domain })).optional(),
  SRV: oneOrMany(z.strictObject({ priority: u16, weight: u16, port: u16, target: domain })).optional(),
  TXT: oneOrMany(z.union([txtString, z.array(txtString)])).optional(),
  SOA: z
    .strictObject({
      mname: domain,
      rname: domain,
      serial: z.number().int().min(0).max(0xffffffff).default(1),
      refresh: u31.default(3600),
      retry: u31.default(600),
      expire: u31.default(86400),
      minimum: u31.default(60),
    })
    .optional(),
  ttl: u31.optional(),
}).refine((r) => r.CNAME === undefined || Object.keys(r).filter((k) => k !== 'ttl').length === 1, {
  message: 'a name with a CNAME can hold no other records',
});

/** Owner name (or an IP address, standing for its reverse name) -> records. */
export const recordsSchema = z.record(z.string(), nameRecordsSchema).superRefine((records, ctx) => {
  const seen = new Map<string, string>();
  for (const key of Object.keys(records)) {
    const norm = key.trim().toLowerCase().replace(/(.)\.$/, '$1');
    const earlier = seen.get(norm);
    if (earlier !== undefined) {
      ctx.addIssue({ code: 'custom', path: [key], input: key, message: `the same name as "${earlier}" (names are case-insensitive); merge the two` });
    }
    seen.set(norm, key);
  }
});

export const ACTIONS = [
  'answer', 'refuse', 'servfail', 'nxdomain', 'nodata', 'formerr', 'notimp',
  'drop', 'delay', 'truncate', 'tcp-close',
  'wrong-id', 'wrong-question', 'no-question', 'opt-in-answer', 'extended-rcode', 'clear-ra', 'garbage',
  'oversize', 'swap-parallel',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions that change how the answer is sent and then let the next matching rule decide. */
export const MODIFIER_ACTIONS: ReadonlySet<Action> = new Set(['delay', 'clear-ra']);

const nthSchema = z.union([
  z.number().int().min(1),
  z.array(z.number().int().min(1)).min(1),
  z.strictObject({ from: z.number().int().min(1).optional(), to: z.number().int().min(1).optional() }),
]);


export const ruleMatchSchema = z.strictObject({
  qname: domain.optional(),
  suffix: domain.optional(),
  glob: z.string().min(1).optional(),
  qtype: oneOrMany(z.string().regex(/^[A-Za-z0-9]+$/, 'expected a record type like A or AAAA').transform((s) => s.toUpperCase())).optional(),
  transport: z.enum(['udp', 'tcp']).optional(),
  edns: z.boolean().optional(),
  ad: z.boolean().optional(),
  cd: z.boolean().optional(),
  do: z.boolean().optional(),
  nth: nthSchema.optional(),
});

export const ruleSchema = z.strictObject({
  match: ruleMatchSchema.default({}),
  action: z.enum(ACTIONS),
  /** delay: milliseconds to wait before going on to the next rule. */
  ms: z.number().int().min(0).max(600_000).optional(),
  /**
   * delay: count `ms` from this query (the default), or from the first query for the same name
   * and type, so every query asked meanwhile is answered at one moment, as a forwarding stub
   * answers all waiting clients when its one upstream transaction ends (systemd-resolved does).
   */
  since: z.enum(['query', 'first']).default('query'),
  /** truncate: on UDP only (the default) or on both transports. */
  on: z.enum(['udp', 'both']).default('udp'),
  /** extended-rcode: the 12-bit RCODE, by name (BADVERS, BADCOOKIE) or number. */
  rcode: z
    .union([z.number().int().min(0).max(4095), z.enum(Object.keys(EXTENDED_RCODES) as [string, ...string[]])])
    .transform((v) => (typeof v === 'number' ? v : (EXTENDED_RCODES[v] ?? 16)))
    .default(16),
  /** wrong-question: the name put in the spoofed question and answer. */
  qname: domain.default('spoofed.invalid'),
  /** garbage: how many random bytes to send. */
  bytes: z.number().int().min(1).max(65535).default(64),
  /** oversize: how many address records to answer with. */
  records: z.number().int().min(1).max(4000).default(64),
  /** oversize: cut to the client's limit with TC=1 like a real server, or send the whole answer anyway. */
  overflow: z.enum(['truncate', 'send']).default('truncate'),
  /** swap-parallel: how close together (ms) an A and an AAAA query must come to count as a parallel pair. */
  windowMs: z.number().int().min(1).max(60_000).default(100),
}).refine((r) => r.action !== 'delay' || r.ms !== undefined, { message: 'a delay rule needs ms', path: ['ms'] });

export type RuleMatch = z.output<typeof ruleMatchSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
export type RecordsInput = z.input<typeof recordsSchema>;

const listenSpec = z.string().superRefine((spec, ctx) => {
  try {
    parseListen(spec);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^.*? is not valid; /, '') });
  }
});

export const serverOptionsSchema = z.strictObject({
  /** A scenario's servers are fake ones unless they say `kind: resolved` (see src/resolved/spec.ts). */
  kind: z.literal('fake').optional(),
  listen: z.array(listenSpec).min(1, 'give at least one listen address, e.g. 127.0.0.53:53/udp'),
  records: recordsSchema.default({}),
  rules: z.array(ruleSchema).default([]),
  /** The UDP payload size the server advertises in its OPT; systemd-resolved's stub says 65494. */
  ednsUdpSize: z.number().int().min(512).max(65535).default(65494),
  /** Default TTL for records that set none. */
  ttl: u31.default(300),
  /** Set AD on answers to queries that ask for it (AD or DO), as a validating stub would. */
  authenticData: z.boolean().default(false),
  /** How many query records the log keeps; older ones are counted, then dropped. */
  logLimit: z.number().int().min(0).default(100_000),
  /** Close idle TCP connections after this many milliseconds. */
  tcpIdleMs: z.number().int().min(100).default(10_000),
  /** Keep the raw bytes of the last N messages in and out (for pcap files); 0 keeps none. */
  capture: z.number().int().min(0).max(1_000_000).default(0),
});

export type FakeDnsOptions = z.input<typeof serverOptionsSchema>;
export type ResolvedFakeDnsOptions = z.output<typeof serverOptionsSchema>;
