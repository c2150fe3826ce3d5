/**
 * Which client actually talked to the fake server: Go's own resolver or glibc. The evidence is in
 * the query log alone, and each rule below was measured with Debian's Go 1.19 and 1.21-1.27 and
 * glibc 2.36 (test/fixtures/traces/captures.json, and the default matrix):
 *
 * - EDNS size: Go's resolver advertises 1232 (when it sends EDNS: with a go.mod go line of 1.18 or
 *   lower Go 1.21+ sends none); glibc 2.36 advertises 1200, and only with `options edns0`.
 * - Sockets: glibc sends A and AAAA for a name from one UDP socket (parallel on the same port);
 *   Go opens a new UDP socket for every query, so no two of its queries share a client port.
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

export type ObservedPath = 'go' | 'glibc' | 'mixed' | 'none';

export interface Observation {
  path: ObservedPath;
  evidence: string[];
}

export const GO_EDNS_SIZE = 1232;
export const GLIBC_EDNS_SIZE = 1200;

export function observePath(queries: WireQuery[]): Observation {
  const q = queries.filter((x) => !x.malformed);
  if (q.length === 0) return { path: 'none', evidence: ['no queries reached the server'] };
  const votes = { go: [] as string[], glibc: [] as string[] };
  const sizes = new Set(q.filter((x) => x.edns).map((x) => x.edns!.udpSize));
  if (sizes.has(GO_EDNS_SIZE)) votes.go.push(`EDNS size ${GO_EDNS_SIZE} (Go's resolver)`);
  if (sizes.has(GLIBC_EDNS_SIZE)) votes.glibc.push(`EDNS size ${GLIBC_EDNS_SIZE} (glibc)`);
  const udp = q.filter((x) => x.transport === 'udp');
  const byPort = new Map<number, WireQuery[]>();
  for (const x of udp) byPort.set(x.client.port, [...(byPort.get(x.client.port) ?? []), x]);
  const shared = [...byPort.entries()].filter(([, list]) => list.length > 1);
  for (const [port, list] of shared) {
    const types = new Set(list.map((x) => x.qtype));
    const names = new Set(list.map((x) => x.qname?.toLowerCase()));
    if (types.has('A') && types.has('AAAA') && names.size === 1) votes.glibc.push(`A and AAAA for ${[...names][0]} from one socket (port ${port})`);
    else votes.glibc.push(`${list.length} queries from one socket (port ${port})`);
  }
  const byConnection = new Map<number, WireQuery[]>();
  for (const x of q) if (x.transport === 'tcp' && x.connection !== undefined) byConnection.set(x.connection, [...(byConnection.get(x.connection) ?? []), x]);
  for (const [conn, list] of byConnection) {
    const types = new Set(list.map((x) => x.qtype));
    const names = new Set(list.map((x) => x.qname?.toLowerCase()));
    if (types.has('A') && types.has('AAAA') && names.size === 1) votes.glibc.push(`A and AAAA for ${[...names][0]} down one TCP connection (#${conn})`);
  }
  const resent = new Set<string>();
  const firstId = new Map<string, number>();
  for (const x of udp) {
    if (x.id === undefined) continue;
    const key = `${x.qname?.toLowerCase()}|${x.qtype}`;
    const id = firstId.get(key);
    if (id === undefined) firstId.set(key, x.id);
    else if (id === x.id && !resent.has(key)) {
      resent.add(key);
      votes.glibc.push(`${x.qtype} ${x.qname} re-sent with the same ID (${id})`);
    }
  }
  // One socket per query is not Go's alone: glibc also opens a new socket for each search-list
  // candidate of an A-only (AF_INET) lookup (measured: search-ndots), so it is no evidence.
  if (votes.go.length && votes.glibc.length) return { path: 'mixed', evidence: [...votes.go.map((e) => `go: ${e}`), ...votes.glibc.map((e) => `glibc: ${e}`)] };
  if (votes.glibc.length) return { path: 'glibc', evidence: votes.glibc };
  if (votes.go.length) return { path: 'go', evidence: votes.go };
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
  return !paths.has(observed === 'glibc' ? 'cgo' : 'go');
}
