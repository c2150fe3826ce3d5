/**
 * The result document's schema: what every reader (report, merge, diff, flakes, suggest,
 * baseline) relies on, checked once where a file is read, so a broken or hand-edited file is the
 * user's error at its field, not a crash in a renderer. Fields it does not know are let be (the
 * document read is the file's own, not the parser's copy). A compile-time check below keeps it in
 * step with the model.
 */
import { z } from 'zod';
import { DECLARED_PATHS, NETDNS_MODES, OBSERVED_PATHS, SCHEMA_VERSION, STUB_MODES, VERDICTS, type RunResult } from './model.js';

const axes = z.object({
  scenario: z.string().min(1),
  go: z.string().regex(/^go1\.\d+/, 'a Go version like go1.27.4'),
  goMinor: z.number().int(),
  cgo: z.enum(['0', '1']),
  netdns: z.enum(NETDNS_MODES),
  godebug: z.array(z.string()),
  tags: z.array(z.string()),
  goModGo: z.string(),
  libc: z.string().optional(),
  platform: z.string().optional(),
  stub: z.enum(STUB_MODES).optional(),
  program: z.string().optional(),
});

const lookup = z.object({
  kind: z.string(),
  name: z.string(),
  ok: z.boolean(),
  addrs: z.array(z.string()).optional(),
  records: z.unknown().optional(),
  error: z.string().optional(),
  isNotFound: z.boolean(),
  isTimeout: z.boolean(),
  isTemporary: z.boolean(),
  elapsedMs: z.number(),
  declaredPath: z.enum(DECLARED_PATHS),
});

const program = z.object({
  name: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  stdout: z.string(),
  stderr: z.string(),
  dropped: z.object({ stdout: z.number(), stderr: z.number() }).optional(),
  elapsedMs: z.number(),
  paths: z.array(z.object({ name: z.string(), path: z.enum(DECLARED_PATHS) })),
});

const check = z.object({
  lookup: z.string(),
  expectation: z.number().int(),
  ok: z.boolean(),
  problems: z.array(z.string()),
  knownFailing: z.string().optional(),
});

const flags = (names: readonly string[]) => z.object(Object.fromEntries(names.map((n) => [n, z.boolean()])));

const query = z.object({
  seq: z.number(),
  time: z.number(),
  transport: z.enum(['udp', 'tcp']),
  client: z.object({ address: z.string(), port: z.number() }),
  server: z.object({ address: z.string(), port: z.number() }),
  connection: z.number().optional(),
  length: z.number(),
  malformed: z.string().optional(),
  id: z.number().optional(),
  opcode: z.string().optional(),
  flags: flags(['rd', 'ad', 'cd']).optional(),
  qname: z.string().optional(),
  qtype: z.string().optional(),
  qclass: z.string().optional(),
  edns: z.object({ udpSize: z.number(), version: z.number(), do: z.boolean(), options: z.array(z.object({ code: z.number(), data: z.string() })) }).nullable().optional(),
  nth: z.number().optional(),
  rule: z.number(),
  action: z.string(),
  matched: z.array(z.number()),
  delayMs: z.number(),
  response: z
    .object({
      id: z.number(),
      rcode: z.string(),
      flags: flags(['aa', 'tc', 'rd', 'ra', 'ad', 'cd']),
      questions: z.number(),
      answers: z.number(),
      authorities: z.number(),
      additionals: z.number(),
      opt: z.enum(['none', 'additional', 'answer']),
      length: z.number(),
      sentAt: z.number().optional(),
    })
    .nullable(),
  garbageBytes: z.number().optional(),
});

const cell = z.object({
  id: z.string().min(1),
  axes,
  verdict: z.enum(VERDICTS),
  reason: z.string().optional(),
  godebugEnv: z.string(),
  declared: z.object({ mode: z.string(), modeLine: z.string().nullable(), raw: z.array(z.string()) }),
  observed: z.object({ path: z.enum(OBSERVED_PATHS), evidence: z.array(z.string()), disagrees: z.boolean() }),
  libc: z.object({ name: z.enum(['glibc', 'musl']), version: z.string() }).optional(),
  builtCgo: z.string().optional(),
  lookups: z.array(lookup),
  program: program.optional(),
  checks: z.array(check),
  queries: z.array(z.array(query)),
  durationMs: z.number(),
  probeMs: z.number().optional(),
  probeExit: z.number().nullable(),
  probeStderr: z.string().optional(),
  repro: z.string(),
  resolved: z.object({ version: z.string(), log: z.array(z.string()) }).optional(),
  pcap: z.object({ file: z.string(), method: z.string() }).optional(),
});

const meta = z.object({
  harnessVersion: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  host: z.object({ kernel: z.string(), distro: z.string(), glibc: z.string(), arch: z.string() }),
  sandboxMethod: z.string(),
  toolchains: z.array(z.object({ version: z.string(), goroot: z.string(), source: z.string() })),
  jobs: z.number(),
  resolved: z.string().optional(),
  platforms: z.array(z.object({ name: z.string(), suite: z.string(), standsFor: z.string(), glibc: z.string(), libcPackage: z.string(), resolved: z.string() })).optional(),
  shard: z.object({ index: z.number().int(), count: z.number().int() }).optional(),
  scenarioSet: z.object({ hash: z.string(), scenarios: z.number().int() }).optional(),
  argv: z.array(z.string()),
});

export const runResultSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  meta,
  cells: z.array(cell),
  // `info` came with program cells; documents written before it have no such count.
  summary: z.object({ total: z.number().int(), ...Object.fromEntries(VERDICTS.map((v) => [v, v === 'info' ? z.number().int().optional() : z.number().int()])) }),
});

// Every document the model allows passes the schema: a field added to the model and not here fails the build.
type Accepts<S, M> = M extends S ? true : never;
const modelFitsSchema: Accepts<z.input<typeof runResultSchema>, RunResult> = true;
void modelFitsSchema;
