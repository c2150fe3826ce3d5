/** The pcap writer, read back by a real reader: tcpdump decodes the DNS and checks every checksum. */
import { execa } from 'execa';
import * as packet from 'dns-packet';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { writePcap, type CapturedPacket } from '../../src/pcap/write.js';
import { query } from '../helpers/wire.js';

const answer = (id: number, type: 'A' | 'AAAA', data: string) =>
  packet.encode({ type: 'response', id, flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE, questions: [{ type, name: 'app.example.test', class: 'IN' }], answers: [{ type, name: 'app.example.test', ttl: 300, data } as never] });

t.test('UDP over IPv4 and IPv6, TCP with a handshake: decoded, checksums right', async (t) => {
  const at = Date.UTC(2026, 10, 26, 12, 0, 0);
  const v4 = { client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 } };
  const v6 = { client: { address: '::1', port: 40001 }, server: { address: '::1', port: 53 } };
  const packets: CapturedPacket[] = [
    { at, dir: 'in', transport: 'udp', ...v4, bytes: query('app.example.test', 'A', 0x1111) },
    { at: at + 1.5, dir: 'out', transport: 'udp', ...v4, bytes: answer(0x1111, 'A', '192.0.2.10') },
    { at: at + 2, dir: 'in', transport: 'udp', ...v6, bytes: query('app.example.test', 'AAAA', 0x2222) },
    { at: at + 3, dir: 'out', transport: 'udp', ...v6, bytes: answer(0x2222, 'AAAA', '2001:db8::10') },
    { at: at + 4, dir: 'in', transport: 'tcp', connection: 1, ...v4, bytes: query('app.example.test', 'A', 0x3333) },
    { at: at + 5, dir: 'out', transport: 'tcp', connection: 1, ...v4, bytes: answer(0x3333, 'A', '192.0.2.10') },
    { at: at + 6, dir: 'in', transport: 'tcp', connection: 1, ...v4, bytes: query('app.example.test', 'AAAA', 0x4444) },
  ];
  const file = join(t.testdir({}), 'x.pcap');
  writeFileSync(file, writePcap(packets));
  const r = await execa('tcpdump', ['-r', file, '-nn', '-vv', '-tt'], { reject: false });
  t.equal(r.exitCode, 0, r.stderr);
  t.equal(r.stdout.match(/^\d+\.\d+ /gm)?.length, 10, '7 messages and a 3-packet TCP handshake');
  t.match(r.stdout, /127\.0\.0\.1\.40000 > 127\.0\.0\.53\.53: \[udp sum ok\] 4369\+ A\? app\.example\.test\./);
  t.match(r.stdout, /127\.0\.0\.53\.53 > 127\.0\.0\.1\.40000: \[udp sum ok\] 4369 q: A\? app\.example\.test\. 1\/0\/0 app\.example\.test\. A 192\.0\.2\.10/);
  t.match(r.stdout, /::1\.40001 > ::1\.53: \[udp sum ok\] 8738\+ AAAA\? app\.example\.test\./);
  t.match(r.stdout, /Flags \[S\], cksum 0x[0-9a-f]+ \(correct\)/);
  t.match(r.stdout, /Flags \[P\.\], cksum 0x[0-9a-f]+ \(correct\), seq 1:37, ack 1, .*13107\+ A\? app\.example\.test\./);
  t.match(r.stdout, /Flags \[P\.\], cksum 0x[0-9a-f]+ \(correct\), seq 37:73, ack \d+, .*17476\+ AAAA\?/, 'sequence numbers carry on along the connection');
  t.notMatch(r.stdout, /bad|incorrect/i, 'no bad checksum anywhere');
  t.match(r.stdout, /^1795694400\.000000 /m, 'timestamps are the capture times');
});
