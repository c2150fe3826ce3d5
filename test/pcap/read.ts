/** Counting a capture's payload bytes to and from the servers, also in a file cut mid-record. */
import t from 'tap';
import { endpointKey, payloadBytesTo } from '../../src/pcap/read.js';
import { writePcap, type CapturedPacket } from '../../src/pcap/write.js';
import { query } from '../helpers/wire.js';

const v4 = { client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 } };
const v6 = { client: { address: '::1', port: 40001 }, server: { address: '::1', port: 53 } };
const other = { client: { address: '127.0.0.1', port: 40002 }, server: { address: '127.0.0.2', port: 53 } };
const q = query('app.example.test', 'A', 1);

t.test('UDP and TCP payloads (TCP with its length prefix), only to and from the endpoints asked', async (t) => {
  const packets: CapturedPacket[] = [
    { at: 0, dir: 'in', transport: 'udp', ...v4, bytes: q },
    { at: 1, dir: 'out', transport: 'udp', ...v4, bytes: q },
    { at: 2, dir: 'in', transport: 'tcp', connection: 1, ...v4, bytes: q },
    { at: 3, dir: 'in', transport: 'udp', ...v6, bytes: q },
    { at: 4, dir: 'in', transport: 'udp', ...other, bytes: q },
  ];
  const file = writePcap(packets);
  t.equal(payloadBytesTo(file, new Set([endpointKey('127.0.0.53', 53)])), 3 * q.length + 2, 'both directions, the TCP handshake carries nothing');
  t.equal(payloadBytesTo(file, new Set([endpointKey('::1', 53)])), q.length);
  t.equal(payloadBytesTo(file, new Set([endpointKey('127.0.0.9', 53)])), 0, 'no endpoint, nothing counted');
  t.equal(payloadBytesTo(file.subarray(0, file.length - 5), new Set([endpointKey('127.0.0.2', 53)])), 0, 'a record still being written is not counted');
  t.equal(payloadBytesTo(Buffer.from('not a pcap file at all, really'), new Set([endpointKey('127.0.0.53', 53)])), 0);
});
