/**
 * Reads just enough of a pcap file (possibly still being written) to count the UDP and TCP
 * payload bytes to and from given endpoints: how a capture is known to hold what the servers saw.
 */

const LINK_HEADER: Record<number, number> = { 1: 14, 101: 0, 113: 16, 276: 20 }; // Ethernet, raw IP, Linux cooked v1 and v2

/** `ADDRESS:PORT` for IPv4 endpoints; IPv6 endpoints are matched by `[v6]:PORT`. */
export const endpointKey = (address: string, port: number): string => (address.includes(':') ? `[v6]:${port}` : `${address}:${port}`);

export function payloadBytesTo(pcap: Buffer, endpoints: Set<string>): number {
  if (pcap.length < 24) return 0;
  const magic = pcap.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && pcap.readUInt32BE(0) !== 0xa1b2c3d4 && pcap.readUInt32BE(0) !== 0xa1b23c4d) return 0;
  const u32 = (at: number) => (le ? pcap.readUInt32LE(at) : pcap.readUInt32BE(at));
  const linkHeader = LINK_HEADER[u32(20) & 0xffff];
  if (linkHeader === undefined) return 0;
  let total = 0;
  for (let at = 24; at + 16 <= pcap.length; ) {
    const len = u32(at + 8);
    if (at + 16 + len > pcap.length) break; // the record tcpdump is still writing
    total += payloadOf(pcap.subarray(at + 16 + linkHeader, at + 16 + len), endpoints);
    at += 16 + len;
  }
  return total;
}

function payloadOf(ip: Buffer, endpoints: Set<string>): number {
  if (ip.length < 20) return 0;
  const v4 = ip[0]! >> 4 === 4;
  const headerLen = v4 ? (ip[0]! & 0x0f) * 4 : 40;
  const proto = v4 ? ip[9] : ip[6];
  const ipLen = v4 ? ip.readUInt16BE(2) : 40 + ip.readUInt16BE(4);
  const l4 = ip.subarray(headerLen, Math.min(ip.length, ipLen));
  if (l4.length < 8 || (proto !== 6 && proto !== 17)) return 0;
  const addr = (off: number) => (v4 ? `${ip[off]}.${ip[off + 1]}.${ip[off + 2]}.${ip[off + 3]}` : '[v6]');
  const src = v4 ? addr(12) : '[v6]';
  const dst = v4 ? addr(16) : '[v6]';
  const [sport, dport] = [l4.readUInt16BE(0), l4.readUInt16BE(2)];
  if (!endpoints.has(`${src}:${sport}`) && !endpoints.has(`${dst}:${dport}`)) return 0;
  if (proto === 17) return l4.length - 8;
  return l4.length < 20 ? 0 : l4.length - (l4[12]! >> 4) * 4;
}
