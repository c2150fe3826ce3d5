/** The hand-rolled query reader: what it accepts, and the reason it gives for what it refuses. */
import * as packet from 'dns-packet';
import t from 'tap';
import { MalformedQuery, parseQuery } from '../../src/dns/query-reader.js';
import { serve } from '../helpers/server.js';
import { logged, query } from '../helpers/wire.js';
import dgram from 'node:dgram';

t.test('reads header, question, EDNS and its options', async (t) => {
  const buf = packet.encode({
    type: 'query', id: 4242, flags: packet.RECURSION_DESIRED | packet.AUTHENTIC_DATA,
    questions: [{ type: 'AAAA', name: 'MiXeD.Example.Test', class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: packet.DNSSEC_OK, options: [{ code: 10, data: Buffer.from('0102030405060708', 'hex') }] } as never],
  });
  const q = parseQuery(buf);
  t.same([q.id, q.opcode, q.question], [4242, 0, { name: 'MiXeD.Example.Test', type: 'AAAA', class: 'IN' }]);
  t.same(q.edns, { udpSize: 1232, version: 0, do: true, options: [{ code: 10, data: '0102030405060708' }] });
  t.equal(q.packet.toString('latin1', 13, 18), 'MiXeD', 'the question bytes are kept as sent');
  t.equal(parseQuery(query('.')).question.name, '.', 'the root name');
  const unknownType = query('app.example.test');
  unknownType.writeUInt16BE(65280, unknownType.length - 4);
  t.equal(parseQuery(unknownType).question.type, 'UNKNOWN_65280');
});

t.test('refuses what is not a single well-formed query, saying why', async (t) => {
  const q = query('app.example.test');
  const cases: Array<[string, Buffer, RegExp]> = [
    ['short', q.subarray(0, 5), /too short for a DNS header \(5 bytes\)/],
    ['response', Buffer.from(q).fill(0x80, 2, 3), /QR is set/],
    ['two questions', Buffer.from(q).fill(2, 5, 6), /2 questions/],
    ['cut question', q.subarray(0, q.length - 2), /question runs past the end/],
    ['cut label', q.subarray(0, 15), /label at byte 12 runs past the end/],
    ['pointer to header', Buffer.concat([q.subarray(0, 12), Buffer.from([0xc0, 0x02, 0, 1, 0, 1])]), /points into the header/],
    ['forward pointer', Buffer.concat([q.subarray(0, 12), Buffer.from([0xc0, 0x20, 0, 1, 0, 1])]), /points forward/],
    ['extended label', Buffer.concat([q.subarray(0, 12), Buffer.from([0x41, 0, 0, 1, 0, 1])]), /label type 0x40/],
    ['long name', Buffer.concat([q.subarray(0, 12), Buffer.from(Array.from({ length: 5 }, () => [63, ...Array(63).fill(0x61)]).flat()), Buffer.from([0, 0, 1, 0, 1])]), /longer than 255/],
    ['missing additional', Buffer.from(q).fill(1, 11, 12), /name at byte 34 runs past the end/],
  ];
  for (const [name, buf, why] of cases) t.throws(() => parseQuery(buf), { name: 'Error', message: why, constructor: MalformedQuery }, name);
});

t.test('the server logs the reason and answers FORMERR when the header is readable', async (t) => {
  const s = await serve(t);
  const sock = dgram.createSocket('udp4');
  t.teardown(() => sock.close());
  const reply = new Promise<Buffer>((r) => sock.once('message', r));
  const bad = Buffer.from(query('app.example.test', 'A', 777)).fill(3, 5, 6);
  sock.send(bad, s.target.port, '127.0.0.1');
  const got = packet.decode(await reply);
  t.same([got.id, (got as { rcode?: string }).rcode, got.questions?.length], [777, 'FORMERR', 0]);
  sock.send(Buffer.from('hi'), s.target.port, '127.0.0.1');
  await logged(s, 2);
  t.same(s.queries().map((q) => [q.malformed, q.action]), [
    ['3 questions; a query has exactly one', 'formerr'],
    ['too short for a DNS header (2 bytes)', 'ignore'],
  ]);
});

t.test('a repeated name is read from memory, and only when every byte agrees', async (t) => {
  const names = ['app.example.test', 'app.example.test', 'APP.example.test', 'app.example.tes', 'app.example.test.x', 'app.example.test'];
  for (const name of names) t.equal(parseQuery(query(name, 'AAAA')).question.name, name, `${name} read as sent`);
  const again = query('app.example.test');
  t.equal(parseQuery(again).question.type, 'A', 'the type after a remembered name is still read');
  t.throws(() => parseQuery(again.subarray(0, again.length - 3)), /question runs past the end/, 'a remembered name does not excuse a cut question');
});
