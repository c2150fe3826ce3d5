/**
 * Which client actually talked to the fake server: Go's own resolver or glibc. The evidence is in
 * the query log alone, and each rule below was measured with Debian's Go 1.19 and 1.21-1.27 and
 * glibc 2.36 (test/fixtures/traces/captures.json, and the default matrix):
 *
 * - EDNS size: Go's resolver advertises 1232 (when it sends EDNS: with a go.mod go line of 1.18 or
 *   lower Go 1.21+ sends none); glibc 2.36 advertises 1200, and only with `options edns0`.
 * - Sockets: glibc sends A and AAAA for a name from one UDP socket (parallel on the same port);
 *   Go opens a new UDP socket for every query, so no two of its open sockets share a client port.
 *   The kernel may give a closed socket's port to a later one, though: two Go queries in a row
 *   from one port (A then A, or AAAA for two names) were measured in 2 cells of a 3,744-cell
 *   default run. So only A and AAAA for one name from one port count, never "several queries"
 *   (which no glibc cell showed without that pair; glibc's A-only re-sends are the ID rule's).
 * - TCP fallback: after a truncated answer glibc sends A and AAAA down one TCP connection; Go
 *   opens a connection per truncated query (measured: truncated-tcp-ok, every version).
 * - Retries: glibc re-sends a query that got no usable answer with the same ID (it keeps the
 *   buffer); Go builds every attempt afresh with a random ID (measured: swapped-replies,
 *   stub-drops). So the same name and type sent twice over UDP with one ID is glibc. The spacing
 *   itself is no evidence: both wait resolv.conf's timeout (see docs/fingerprints.md).
 * Only rules consistent with one client alone count. A log with no queries (an /etc/hosts answer,
 * an error before the wire) or with nothing telling (no EDNS, no shared socket) gives no verdict.
 */

/** The fields of a query record this needs (QueryRecord has them all). */
export interface WireQuery {
  transport: 'udp' | 'tcp';
  client: { port: number };
  /** TCP: which connection (pipelined queries share one). */
  connection?: number;
  id?: number;
  qname?: string;
  qtype?: string;
  edns?: { udpSize: number } | null;
  malformed?: string;
}

/** Which client the wire shows; "musl" is the glibc evidence seen in a cell built against musl. */
export type ObservedPath = 'go' | 'glibc' | 'musl' | 'mixed' | 'none';

export interface Observation {
  path: ObservedPath;
  evidence: string[];
}

export const GO_EDNS_SIZE = 1232;
export const GLIBC_EDNS_SIZE = 1200;

/** The fingerprint rules, each naming the client it points to. */
export const FINGERPRINT_RULES = {
  'edns-1232': { client: 'go', text: `EDNS size ${GO_EDNS_SIZE}` },
  'edns-1200': { client: 'glibc', text: `EDNS size ${GLIBC_EDNS_SIZE}` },
  'one-socket': { client: 'glibc', text: 'A and AAAA for one name from one UDP socket' },
  'one-tcp-connection': { client: 'glibc', text: 'A and AAAA down one TCP connection' },
  'same-id-resend': { client: 'glibc', text: 'a query re-sent over UDP with the same ID' },
} as const;

export type FingerprintRule = keyof typeof FINGERPRINT_RULES;

export interface Vote {
  rule: FingerprintRule;
  client: 'go' | 'glibc';
  /** What was seen, for the cell's evidence. */
  text: string;
}

function groupBy<K>(list: WireQuery[], key: (x: WireQuery) => K | undefined): Map<K, WireQuery[]> {
  const out = new Map<K, WireQuery[]>();
  for (const x of list) {
    const k = key(x);
    if (k !== undefined) out.set(k, [...(out.get(k) ?? []), x]);
  }
  return out;
}

const bothTypesOfOneName = (list: WireQuery[]): string | undefined => {
  const types = new Set(list.map((x) => x.qtype));
  const names = new Set(list.map((x) => x.qname?.toLowerCase()));
  return types.has('A') && types.has('AAAA') && names.size === 1 ? [...names][0] : undefined;
};

/** Every piece of evidence in a query log, each tagged with its rule. */
export function fingerprintVotes(queries: WireQuery[]): Vote[] {
  const q = queries.filter((x) => !x.malformed);
  const votes: Vote[] = [];
  const vote = (rule: FingerprintRule, text: string): void => {
    votes.push({ rule, client: FINGERPRINT_RULES[rule].client, text });
  };
  const sizes = new Set(q.filter((x) => x.edns).map((x) => x.edns!.udpSize));
  if (sizes.has(GO_EDNS_SIZE)) vote('edns-1232', `EDNS size ${GO_EDNS_SIZE} (Go's resolver)`);
  if (sizes.has(GLIBC_EDNS_SIZE)) vote('edns-1200', `EDNS size ${GLIBC_EDNS_SIZE} (glibc)`);
  const udp = q.filter((x) => x.transport === 'udp');
  for (const [port, list] of groupBy(udp, (x) => x.client.port)) {
    const name = [...groupBy(list, (x) => x.qname?.toLowerCase()).values()].map(bothTypesOfOneName).find((n) => n !== undefined);
    if (name !== undefined) vote('one-socket', `A and AAAA for ${name} from one socket (port ${port})`);
  }
  for (const [conn, list] of groupBy(q, (x) => (x.transport === 'tcp' ? x.connection : undefined))) {
    const name = bothTypesOfOneName(list);
    if (name !== undefined) vote('one-tcp-connection', `A and AAAA for ${name} down one TCP connection (#${conn})`);
  }
  for (const list of groupBy(udp, (x) => (x.id === undefined ? undefined : `${x.qname?.toLowerCase()}|${x.qtype}`)).values()) {
    const first = list[0] as WireQuery;
    if (list.slice(1).some((x) => x.id === first.id)) vote('same-id-resend', `${first.qtype} ${first.qname} re-sent with the same ID (${first.id})`);
  }
  // One socket per query is not Go's alone: glibc also opens a new socket for each search-list
  // candidate of an A-only (AF_INET) lookup (measured: search-ndots), so it is no evidence.
  return votes;
}

export function observePath(queries: WireQuery[]): Observation {
  const q = queries.filter((x) => !x.malformed);
  if (q.length === 0) return { path: 'none', evidence: ['no queries reached the server'] };
  const votes = fingerprintVotes(q);
  const go = votes.filter((v) => v.client === 'go').map((v) => v.text);
  const glibc = votes.filter((v) => v.client === 'glibc').map((v) => v.text);
  if (go.length && glibc.length) return { path: 'mixed', evidence: [...go.map((e) => `go: ${e}`), ...glibc.map((e) => `glibc: ${e}`)] };
  if (glibc.length) return { path: 'glibc', evidence: glibc };
  if (go.length) return { path: 'go', evidence: go };
  return { path: 'none', evidence: [`${q.length} ${q.length === 1 ? 'query' : 'queries'}, nothing that tells the clients apart`] };
}

/**
 * Whether what Go declared and what the wire shows disagree (no evidence is no disagreement).
 * `declared` holds the path of every lookup in the cell: when some took Go's path and some cgo's,
 * the wire is expected to show both ("mixed").
 */
export function disagrees(declared: string | string[], observed: ObservedPath): boolean {
  const paths = new Set(typeof declared === 'string' ? [declared] : declared);
  if (observed === 'none') return false;
  if (observed === 'mixed') return !(paths.has('go') && paths.has('cgo'));
  return !paths.has(observed === 'glibc' || observed === 'musl' ? 'cgo' : 'go');
}
