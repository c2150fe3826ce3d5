/**
 * The one result model shared by the runner, the reporters, diff and merge. Results are data
 * first: every human view is rendered from a RunResult.
 */
// The model defines every type it holds: producers (the fake servers, the trace parser, the
// runner) and readers depend on it, never the other way round.

export const SCHEMA_VERSION = 1;

/** The netdns axis: the default choice, or one forced by GODEBUG. */
export const NETDNS_MODES = ['default', 'go', 'cgo'] as const;
export type NetdnsMode = (typeof NETDNS_MODES)[number];

/** The resolver Go's netdns trace says it took for a name. */
export const DECLARED_PATHS = ['go', 'cgo', 'unknown'] as const;
export type DeclaredPath = (typeof DECLARED_PATHS)[number];

/** The path the wire shows (src/observe/fingerprint.ts). */
export const OBSERVED_PATHS = ['go', 'glibc', 'musl', 'mixed', 'none'] as const;

/** info: a program cell measured with nothing to judge it by (no dns-expect.yaml): behaviour only. */
export const VERDICTS = ['pass', 'fail', 'slow', 'skip', 'error', 'xfail', 'info'] as const;

/** What stands on 127.0.0.53 in a scenario with a resolved server: the real systemd-resolved, or a stand-in. */
export const STUB_MODES = ['real', 'emulated', 'passthrough'] as const;
export type StubMode = (typeof STUB_MODES)[number];

export type Transport = 'udp' | 'tcp';

export interface EdnsInfo {
  udpSize: number;
  version: number;
  do: boolean;
  /** EDNS options as sent: code and hex data. */
  options: Array<{ code: number; data: string }>;
}

export interface ResponseInfo {
  id: number;
  rcode: string;
  flags: { aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean };
  questions: number;
  answers: number;
  authorities: number;
  additionals: number;
  /** Whether the reply carried an OPT record, and where (`answer` for the opt-in-answer fault). */
  opt: 'none' | 'additional' | 'answer';
  length: number;
  /** Set when the bytes left the server (after any delay); unset if the server closed first. */
  sentAt?: number;
}

/** One query as the fake server saw it, and what it did about it. */
export interface QueryRecord {
  /** 1-based, per server. */
  seq: number;
  /** Milliseconds since the server started (monotonic). */
  time: number;
  transport: Transport;
  client: { address: string; port: number };
  server: { address: string; port: number };
  /** TCP only: the connection's number, so pipelined queries on one connection can be told apart. */
  connection?: number;
  length: number;
  /** Why the packet could not be read as a query; the other query fields are then absent. */
  malformed?: string;
  id?: number;
  opcode?: string;
  flags?: { rd: boolean; ad: boolean; cd: boolean };
  /** Exactly as sent, case kept (0x20 randomisation shows here). */
  qname?: string;
  qtype?: string;
  qclass?: string;
  edns?: EdnsInfo | null;
  /** The how-manieth query for this name at this server. */
  nth?: number;
  /** Index of the rule that decided, -1 for the default answer. */
  rule: number;
  action: string;
  /** Every rule that matched, modifiers included. */
  matched: number[];
  delayMs: number;
  /** What was sent back; null when nothing was (drop, tcp-close). */
  response: ResponseInfo | null;
  /** Set for the garbage fault, whose reply is not a DNS message. */
  garbageBytes?: number;
}


/** One point of the matrix. */
export interface CellAxes {
  scenario: string;
  /** As `go version` says, e.g. go1.27.4. */
  go: string;
  goMinor: number;
  cgo: '0' | '1';
  netdns: NetdnsMode;
  /** Extra GODEBUG settings beyond netdns, e.g. ["netedns0=0"]. */
  godebug: string[];
  tags: string[];
  /** The probe's go.mod go line. */
  goModGo: string;
  /** CGO_ENABLED=1 cells built against a musl instead of the system's glibc, e.g. "musl-1.2.3". */
  libc?: string;
  /** Cells on another Debian release's glibc and systemd-resolved (src/provision/platform.ts), e.g. "debian-11"; absent on the host. */
  platform?: string;
  /** Scenarios with a `resolved` server: what stood on 127.0.0.53 (the real systemd-resolved or a stand-in). */
  stub?: StubMode;
  /** A user's program ran in place of the probe (`run --program`): its name. */
  program?: string;
}

export interface LookupOutcome {
  kind: string;
  name: string;
  ok: boolean;
  addrs?: string[];
  records?: unknown;
  error?: string;
  isNotFound: boolean;
  isTimeout: boolean;
  isTemporary: boolean;
  elapsedMs: number;
  /** The path Go's trace declares for this name (host lookups), or the mode's. */
  declaredPath: DeclaredPath;
}

/**
 * xfail: the cell fails an expectation marked `knownFailing`, as it is meant to until the bug
 * is fixed; it does not fail the run. A known-failing expectation that is met fails the cell, so
 * a fix forces the marker's removal.
 */
export type Verdict = (typeof VERDICTS)[number];

export interface ExpectationCheck {
  lookup: string;
  /** Index of the expectation entry that applied, -1 when none did. */
  expectation: number;
  ok: boolean;
  /** What was wrong, in words, when not ok. */
  problems: string[];
  /** The expectation is marked known failing (its reason); `problems` then says how it failed. */
  knownFailing?: string;
}

/**
 * A user's program run in a cell (`run --program`) in place of the probe: what it did, by its
 * own measure. Its output is kept up to a cap; `dropped` says how much was cut.
 */
export interface ProgramOutcome {
  name: string;
  exitCode: number | null;
  signal: string | null;
  /** Killed at the cell's time limit. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Bytes cut from stdout and stderr beyond the cap. */
  dropped?: { stdout: number; stderr: number };
  elapsedMs: number;
  /** The path Go's netdns trace declared for each name the program looked up, in order. */
  paths: Array<{ name: string; path: DeclaredPath }>;
}

export interface CellResult {
  id: string;
  axes: CellAxes;
  verdict: Verdict;
  /** Why skipped or errored. */
  reason?: string;
  /** The GODEBUG the probe ran with (the netdns trace level included). */
  godebugEnv: string;
  declared: { mode: string; modeLine: string | null; raw: string[] };
  /** What the wire says talked to the server (see src/observe/fingerprint.ts), and whether that
   * disagrees with the declared path of the first lookup. */
  observed: { path: (typeof OBSERVED_PATHS)[number]; evidence: string[]; disagrees: boolean };
  /** CGO_ENABLED=1 cells: the C library the probe was built against, and its version. */
  libc?: { name: 'glibc' | 'musl'; version: string };
  /** CGO_ENABLED as read back from the probe binary's build info. */
  builtCgo?: string;
  /** The probe's lookups (none in a program cell). */
  lookups: LookupOutcome[];
  /** A program cell: the user's program's run (its checks come from its dns-expect.yaml). */
  program?: ProgramOutcome;
  checks: ExpectationCheck[];
  /** Per server, the queries it saw during this cell. */
  queries: QueryRecord[][];
  /** Parent-side wall time of the cell (request to result). */
  durationMs: number;
  /** The probe process's own wall time, measured inside the sandbox. */
  probeMs?: number;
  probeExit: number | null;
  probeStderr?: string;
  repro: string;
  /** stub=real: systemd-resolved's own log (debug level) while the probe ran, and its version. */
  resolved?: { version: string; log: string[] };
  /** The pcap file written for this cell (run --pcap-dir, repro --pcap) and how it was made. */
  pcap?: { file: string; method: string };
}

export interface PlatformMeta {
  name: string;
  suite: string;
  standsFor: string;
  /** "2.31" and the package's "2.31-13+deb11u11"; empty when the platform could not be had. */
  glibc: string;
  libcPackage: string;
  /** "systemd 247 (247.3-7+deb11u5)", or "unavailable: why". */
  resolved: string;
}

export interface RunMeta {
  harnessVersion: string;
  startedAt: string;
  finishedAt: string;
  host: { kernel: string; distro: string; glibc: string; arch: string };
  sandboxMethod: string;
  toolchains: Array<{ version: string; goroot: string; source: string }>;
  jobs: number;
  /** Runs with real-stub cells: the systemd-resolved they ran ("systemd 252 (...)"), or why none could. */
  resolved?: string;
  /** Runs with platform cells: each platform's glibc and systemd-resolved, or why it could not be had. */
  platforms?: PlatformMeta[];
  shard?: { index: number; count: number };
  /** The scenarios of the plan: how many, and the hash of their parsed content (src/scenario/hash.ts). */
  scenarioSet?: { hash: string; scenarios: number };
  argv: string[];
}

export interface RunResult {
  schemaVersion: typeof SCHEMA_VERSION;
  meta: RunMeta;
  cells: CellResult[];
  summary: Record<Verdict, number> & { total: number };
}

export function summarize(cells: CellResult[]): RunResult['summary'] {
  const s = { total: cells.length, pass: 0, fail: 0, slow: 0, skip: 0, error: 0, xfail: 0, info: 0 };
  for (const c of cells) s[c.verdict]++;
  return s;
}

/** What the runner hands over from one command run in a sandbox (the sandbox's RunResult is one). */
export interface ProbeRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** Per server (in setup order), the queries it saw while the command ran. */
  queries: QueryRecord[][];
  /** Set when the command could not be started at all (not found, not executable). */
  spawnError?: string;
  /** Bytes of stdout and stderr past the output cap: read and counted, not kept. */
  dropped?: { stdout: number; stderr: number };
  /** With a resolved in the sandbox: its log while the command ran. */
  resolvedLog?: string[];
}
