/** The query log stores records column by column in a ring; what comes out must be what went in. */
import t from 'tap';
import { QueryLog, type QueryRecord, type ResponseInfo } from '../../src/dns/query-log.js';
import { startFakeDns } from '../../src/index.js';
import { query } from '../helpers/wire.js';
import dgram from 'node:dgram';
import { once } from 'node:events';

const server = { address: '127.0.0.53', port: 53 };

function response(id: number, over: Partial<ResponseInfo> = {}): ResponseInfo {
  return {
    id, rcode: 'NOERROR', flags: { aa: true, tc: false, rd: true, ra: true, ad: false, cd: false },
    questions: 1, answers: 2, authorities: 0, additionals: 1, opt: 'additional', length: 99, ...over,
  };
}

function record(seq: number, over: Partial<QueryRecord> = {}): QueryRecord {
  return {
    seq, time: seq * 1.5, transport: 'udp', client: { address: '127.0.0.1', port: 40000 + seq }, server, length: 40,
    id: seq & 0xffff, opcode: 'QUERY', flags: { rd: true, ad: false, cd: true }, qname: `n${seq}.Example.test`, qtype: 'AAAA', qclass: 'IN',
    edns: null, nth: 1, rule: -1, action: 'answer', matched: [], delayMs: 0, response: response(seq & 0xffff), ...over,
  };
}

t.test('every field comes back as it went in', async (t) => {
  const log = new QueryLog(10);
  const full = record(1, {
    transport: 'tcp', connection: 7, client: { address: '::1', port: 5353 },
    edns: { udpSize: 1232, version: 0, do: true, options: [{ code: 10, data: '0102' }] },
    flags: { rd: false, ad: true, cd: false }, rule: 3, action: 'delay', matched: [0, 3], delayMs: 250,
    response: response(1, { rcode: 'SERVFAIL', flags: { aa: false, tc: true, rd: false, ra: false, ad: true, cd: true }, opt: 'answer', answers: 300, authorities: 65535 }),
  });
  const bad = record(2, { malformed: 'QR is set', action: 'formerr', response: null, garbageBytes: 17 });
  for (const k of ['id', 'opcode', 'flags', 'qname', 'qtype', 'qclass', 'edns', 'nth'] as const) delete bad[k];
  const plain = record(3, { edns: { udpSize: 512, version: 1, do: false, options: [] } });
  for (const r of [full, bad, plain]) log.add(structuredClone(r));
  log.markSent(1, 12.25);
  t.same(log.entries(), [{ ...full, response: { ...full.response, sentAt: 12.25 } }, bad, plain]);
  t.strictSame(log.entries()[1], bad, 'absent fields stay absent');
});

t.test('a full ring keeps the newest records in order and counts the rest', async (t) => {
  const log = new QueryLog(100);
  for (let seq = 1; seq <= 250; seq++) log.add(record(seq));
  t.equal(log.size, 100);
  t.equal(log.count, 250);
  t.equal(log.dropped, 150);
  t.same(log.entries().map((r) => r.seq), Array.from({ length: 100 }, (_, i) => 151 + i), 'oldest first, across the wrap');
  t.same(log.entries(200).map((r) => r.seq), Array.from({ length: 50 }, (_, i) => 201 + i), 'only what came after the 200th');
  t.same(log.entries(10).length, 100, 'a mark older than the ring gives everything kept');
  t.same(log.entries(250), [], 'nothing after the last');
  log.markSent(100, 1);
  log.markSent(250, 2);
  t.equal(log.entries().at(-1)?.response?.sentAt, 2, 'the newest can be marked sent');
  t.notOk(log.entries().some((r) => r.response?.sentAt === 1), 'a record already let go is not marked');
  t.same(log.entries().map((r) => r.qname), Array.from({ length: 100 }, (_, i) => `n${151 + i}.Example.test`), 'names survive the growing and the wrap');
  log.clear();
  t.equal(log.size, 0);
  log.add(record(251));
  t.same(log.entries().map((r) => r.seq), [251], 'after clear the count goes on');
});

t.test('a shared reply template gets the real ID, and is not changed', async (t) => {
  const log = new QueryLog(5);
  const template = Object.freeze(response(0));
  const seen: QueryRecord[] = [];
  log.subscribe((r) => seen.push(r));
  log.add(record(1, { response: template }), 4242);
  t.equal(log.entries()[0]?.response?.id, 4242, 'stored with the ID it went out with');
  t.equal(seen[0]?.response?.id, 4242, 'listeners see it too');
  t.equal(template.id, 0, 'the template is untouched');
});

t.test('limit 0 keeps nothing but still counts and tells listeners', async (t) => {
  const log = new QueryLog(0);
  let heard = 0;
  const stop = log.subscribe(() => heard++);
  log.add(record(1));
  stop();
  log.add(record(2));
  t.same([log.size, log.count, log.dropped, heard], [0, 2, 2, 1]);
});

t.test('a real server logs cached replies with their own IDs and send times', async (t) => {
  const dns = await startFakeDns({ listen: ['127.0.0.1:0/udp'], records: { 'app.example.test': { A: '192.0.2.1' } }, rules: [{ match: { nth: 2 }, action: 'delay', ms: 50 }] });
  t.teardown(() => dns.close());
  const sock = dgram.createSocket('udp4');
  t.teardown(() => sock.close());
  const { port } = dns.address('udp', 4);
  for (const id of [101, 202, 303]) {
    sock.send(query('app.example.test', 'A', id), port, '127.0.0.1');
    const [msg] = (await once(sock, 'message')) as [Buffer];
    t.equal(msg.readUInt16BE(0), id, `reply ${id} carries its query's ID`);
  }
  const q = dns.queries();
  t.same(q.map((r) => r.response?.id), [101, 202, 303], 'the log has each reply ID (two came from the cache)');
  t.ok(q.every((r) => typeof r.response?.sentAt === 'number'), 'every reply has its send time');
  t.ok((q[1]?.response?.sentAt ?? 0) - (q[1]?.time ?? 0) >= 45, 'the delayed one left about 50 ms after it came');
});
