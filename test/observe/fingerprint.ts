/**
 * The observed path against real captures (every Debian Go from 1.19 to 1.27, cgo 0/1, netdns
 * 2/go+2/cgo+2, with and without `options edns0`): the wire must name the same client the trace
 * declared, for every capture.
 */
import t from 'tap';
import { captures } from '../helpers/captures.js';
import { disagrees, observePath, type WireQuery } from '../../src/observe/fingerprint.js';
import { declaredPath, parseTrace } from '../../src/observe/trace.js';
import { readFileSync } from 'node:fs';

interface WireCell {
  cell: string;
  declared: string[];
  queries: Array<{ transport: 'udp' | 'tcp'; port: number; connection?: number; id: number; qname: string; qtype: string; edns: number | null }>;
}
const wireCells = (JSON.parse(readFileSync(new URL('../fixtures/traces/wire-cells.json', import.meta.url), 'utf8')) as { cells: WireCell[] }).cells;



t.test('every capture: the wire names the client the trace declared', async (t) => {
  for (const c of captures) {
    const wire: WireQuery[] = c.queries.map((q) => ({ transport: q.transport, client: { port: q.port }, qname: 'app.example.test', qtype: q.qtype, edns: q.edns === null ? null : { udpSize: q.edns } }));
    const obs = observePath(wire);
    const declared = declaredPath(parseTrace(c.stderr), 'app.example.test');
    t.equal(obs.path, declared === 'cgo' ? 'glibc' : 'go', `${c.go} cgo=${c.cgo} netdns=${c.netdns} ${c.resolvConf}: ${obs.evidence.join('; ')}`);
    t.notOk(disagrees(declared, obs.path));
  }
});

t.test('real cells with TCP fallback and retries (truncated-tcp-ok, stub-drops, swapped-replies, Go 1.19-1.27)', async (t) => {
  const fired = { tcp: 0, resent: 0 };
  for (const c of wireCells) {
    const obs = observePath(c.queries.map((q) => ({ ...q, client: { port: q.port }, edns: q.edns === null ? null : { udpSize: q.edns } })));
    t.notOk(disagrees(c.declared, obs.path), `${c.cell}: declared ${c.declared.join(',')}, observed ${obs.path} (${obs.evidence.join('; ')})`);
    if (obs.evidence.some((e) => /down one TCP connection/.test(e))) fired.tcp++;
    if (obs.evidence.some((e) => /re-sent with the same ID/.test(e))) fired.resent++;
  }
  const glibcCells = (scenario: string) => wireCells.filter((c) => c.cell.startsWith(`${scenario}:`) && c.declared.includes('cgo')).length;
  t.equal(fired.tcp, glibcCells('truncated-tcp-ok'), 'every glibc cell of truncated-tcp-ok shows A and AAAA down one TCP connection');
  // In swapped-replies glibc waits out its timeout and re-sends the pair on the same socket; in
  // stub-drops (attempts:1) its second pair is a new query (new IDs), so that is no re-send.
  t.equal(fired.resent, glibcCells('swapped-replies'), 'glibc re-sends with the same ID in every glibc cell of swapped-replies, and nowhere else');
});

const q = (port: number, qtype: string, edns: number | null, transport: 'udp' | 'tcp' = 'udp'): WireQuery => ({ transport, client: { port }, qname: 'a.test', qtype, edns: edns === null ? null : { udpSize: edns } });

t.test('the rules one by one', async (t) => {
  t.same(observePath([]), { path: 'none', evidence: ['no queries reached the server'] });
  t.same(observePath([q(1, 'A', 1232)]).path, 'go', 'EDNS 1232 is Go');
  t.same(observePath([q(1, 'A', 1200)]).path, 'glibc', 'EDNS 1200 is glibc');
  t.match(observePath([q(5, 'A', null), q(5, 'AAAA', null)]), { path: 'glibc', evidence: ['A and AAAA for a.test from one socket (port 5)'] });
  t.same(observePath([q(5, 'A', null), q(6, 'A', null), q(7, 'A', null)]).path, 'none', 'a socket per query alone tells nothing (glibc does that for search candidates)');
  t.same(observePath([q(5, 'A', 1232), q(5, 'AAAA', 1232)]).path, 'mixed', 'contradicting evidence is reported, not guessed');
  // The kernel gives a closed socket's port to a later one: measured in default runs, Go's queries
  // in a row from one port, A then A (stub-refused) or AAAA for two names (nsswitch-myhostname).
  t.same(observePath([{ ...q(5, 'A', 1232), id: 1 }, { ...q(5, 'A', 1232), id: 2 }]).path, 'go', 'one type twice from one port is a reused port, not glibc');
  const named = (name: string): WireQuery => ({ ...q(5, 'AAAA', 1232), qname: name });
  t.same(observePath([named('_outbound'), named('_gateway')]).path, 'go', 'nor are two names from one port');
  t.match(observePath([named('x.test'), { ...named('x.test'), qtype: 'A' }, named('y.test')]), { path: 'mixed', evidence: [/^go: /, 'glibc: A and AAAA for x.test from one socket (port 5)'] }, 'the pair of one name still counts among others');
  t.same(observePath([{ ...q(1, 'A', 1200), malformed: 'x' }]).path, 'none', 'malformed packets are not evidence');
  const tcp = (conn: number, qtype: string): WireQuery => ({ ...q(9, qtype, null, 'tcp'), connection: conn });
  t.match(observePath([tcp(3, 'A'), tcp(3, 'AAAA')]), { path: 'glibc', evidence: ['A and AAAA for a.test down one TCP connection (#3)'] });
  t.same(observePath([tcp(3, 'A'), tcp(4, 'AAAA')]).path, 'none', 'a TCP connection per query tells nothing by itself');
  t.match(observePath([{ ...q(5, 'A', null), id: 7 }, { ...q(6, 'A', null), id: 7 }]), { path: 'glibc', evidence: ['A a.test re-sent with the same ID (7)'] });
  t.same(observePath([{ ...q(5, 'A', null), id: 7 }, { ...q(6, 'A', null), id: 8 }]).path, 'none', 'a retry with a new ID is not evidence (glibc does that across lookups)');
  t.equal(disagrees('go', 'glibc'), true);
  t.equal(disagrees('cgo', 'glibc'), false);
  t.equal(disagrees('cgo', 'none'), false);
  t.equal(disagrees('go', 'mixed'), true);
  t.equal(disagrees(['go', 'cgo'], 'mixed'), false, 'lookups on both paths show both on the wire');
  t.equal(disagrees(['go', 'go'], 'mixed'), true);
  t.equal(disagrees(['go', 'cgo'], 'glibc'), false, 'the Go lookups may have sent nothing telling');
  t.equal(disagrees(['cgo', 'cgo'], 'go'), true);
});
