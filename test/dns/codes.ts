/** The DNS numbers, held against dns-packet's own encoder: a wrong bit would show here first. */
import dnsPacket from 'dns-packet';
import t from 'tap';
import { AA, AD, CD, EDNS_DO, EXTENDED_RCODES, QR, RA, RCODE, RD, TC, rcodeName } from '../../src/dns/codes.js';

t.test('each header flag is the bit dns-packet sets for it', async (t) => {
  const cases: Array<[string, number, number]> = [
    ['AA', AA, dnsPacket.AUTHORITATIVE_ANSWER],
    ['TC', TC, dnsPacket.TRUNCATED_RESPONSE],
    ['RD', RD, dnsPacket.RECURSION_DESIRED],
    ['RA', RA, dnsPacket.RECURSION_AVAILABLE],
    ['AD', AD, dnsPacket.AUTHENTIC_DATA],
    ['CD', CD, dnsPacket.CHECKING_DISABLED],
  ];
  for (const [name, ours, theirs] of cases) t.equal(ours, theirs, name);
  const wire = dnsPacket.encode({ type: 'response', id: 1, flags: 0, questions: [] });
  t.ok(wire.readUInt16BE(2) & QR, 'QR is the top bit of a response');
  const opt = dnsPacket.encode({ type: 'query', id: 1, questions: [], additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK } as never] });
  t.equal(opt.readUInt32BE(opt.length - 6) & EDNS_DO, EDNS_DO, 'DO in the OPT TTL');
});

t.test('RCODE names: the header ones as dns-packet names them, the extended ones ours', async (t) => {
  for (const [name, n] of Object.entries(RCODE)) t.equal(rcodeName(n), name);
  t.equal(rcodeName(11), 'RCODE_11');
  t.equal(rcodeName(16), 'BADVERS');
  t.equal(rcodeName(EXTENDED_RCODES.BADCOOKIE as number), 'BADCOOKIE');
});
