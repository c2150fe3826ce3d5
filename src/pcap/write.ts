import { isIPv4 } from 'node:net';

/** One DNS message as it crossed the fake server, in or out, with its addresses. */
export interface CapturedPacket {
  /** Wall-clock milliseconds since the epoch (pcap wants absolute times). */
  at: number;
  dir: 'in' | 'out';
  transport: 'udp' | 'tcp';
  client: { address: string; port: number };
  server: { address: string; port: number };
  /** TCP: the connection's number at the server. */
  connection?: number;
  /** The DNS message (TCP: without the length prefix). */
  bytes: Buffer;
}

const LINKTYPE_RAW = 101; // each record is an IPv4 or IPv6 packet, no link header
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const TCP_SYN = 0x02;
const TCP_ACK = 0x10;
const TCP_PSH = 0x08;

function ipBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  const v4tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  let text = address.replace(/%.*$/, '');
  if (v4tail) {
    const b = ipBytes(v4tail[1] as string);
    text = `${text.slice(0, -(v4tail[1] as string).length)}${b.readUInt16BE(0).toString(16)}:${b.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}

function sum16(buf: Buffer, start = 0): number {
  let s = start;
  for (let i = 0; i + 1 < buf.length; i += 2) s += buf.readUInt16BE(i);
  if (buf.length % 2) s += (buf[buf.length - 1] as number) << 8;
  return s;
}

function fold(s: number): number {
  let x = s;
  while (x > 0xffff) x = (x & 0xffff) + (x >>> 16);
  return ~x & 0xffff;
}

/** An IP packet around `l4` (a UDP datagram or TCP segment whose checksum field is still zero). */
function ipPacket(src: Buffer, dst: Buffer, proto: number, l4: Buffer, checksumAt: number, id: number): Buffer {
  const pseudo = Buffer.concat([src, dst, Buffer.from([0, proto]), Buffer.from([(l4.length >> 8) & 0xff, l4.length & 0xff])]);
  let c = fold(sum16(l4, sum16(pseudo)));
  if (proto === PROTO_UDP && c === 0) c = 0xffff;
  l4.writeUInt16BE(c, checksumAt);
  if (src.length === 4) {
    const h = Buffer.alloc(20);
    h[0] = 0x45;
    h.writeUInt16BE(20 + l4.length, 2);
    h.writeUInt16BE(id & 0xffff, 4);
    h.writeUInt16BE(0x4000, 6); // don't fragment
    h[8] = 64;
    h[9] = proto;
    src.copy(h, 12);
    dst.copy(h, 16);
    h.writeUInt16BE(fold(sum16(h)), 10);
    return Buffer.concat([h, l4]);
  }
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60000000, 0);
  h.writeUInt16BE(l4.length, 4);
  h[6] = proto;
  h[7] = 64;
  src.copy(h, 8);
  dst.copy(h, 24);
  return Buffer.concat([h, l4]);
}

function udp(sport: number, dport: number, payload: Buffer): Buffer {
  const u = Buffer.alloc(8 + payload.length);
  u.writeUInt16BE(sport, 0);
  u.writeUInt16BE(dport, 2);
  u.writeUInt16BE(u.length, 4);
  payload.copy(u, 8);
  return u;
}

function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, payload: Buffer): Buffer {
  const t = Buffer.alloc(20 + payload.length);
  t.writeUInt16BE(sport, 0);
  t.writeUInt16BE(dport, 2);
  t.writeUInt32BE(seq >>> 0, 4);
  t.writeUInt32BE(ack >>> 0, 8);
  t[12] = 5 << 4;
  t[13] = flags;
  t.writeUInt16BE(65535, 14);
  payload.copy(t, 20);
  return t;
}

/**
 * A classic pcap file (microsecond timestamps, raw IP link type) of the packets, which Wireshark
 * and tcpdump read. UDP and TCP headers are made up around the DNS messages with correct
 * lengths and checksums; each TCP connection gets a handshake before its first message, and
 * sequence numbers that advance with the bytes sent, so DNS over TCP decodes.
 */
export function writePcap(packets: CapturedPacket[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(LINKTYPE_RAW, 20);
  const records: Buffer[] = [header];
  let ipId = 1;
  const add = (at: number, ip: Buffer): void => {
    const r = Buffer.alloc(16);
    const usec = Math.round(at * 1000);
    r.writeUInt32LE(Math.floor(usec / 1e6), 0);
    r.writeUInt32LE(usec % 1e6, 4);
    r.writeUInt32LE(ip.length, 8);
    r.writeUInt32LE(ip.length, 12);
    records.push(r, ip);
  };
  // Per TCP connection: the next sequence number each side sends.
  const streams = new Map<string, { client: number; server: number }>();
  for (const p of [...packets].sort((a, b) => a.at - b.at)) {
    const c = ipBytes(p.client.address);
    const s = ipBytes(p.server.address);
    const [src, dst, sport, dport] = p.dir === 'in' ? [c, s, p.client.port, p.server.port] : [s, c, p.server.port, p.client.port];
    if (p.transport === 'udp') {
      add(p.at, ipPacket(src, dst, PROTO_UDP, udp(sport, dport, p.bytes), 6, ipId++));
      continue;
    }
    const key = `${p.connection ?? ''}|${p.client.address}|${p.client.port}|${p.server.address}|${p.server.port}`;
    let st = streams.get(key);
    if (!st) {
      st = { client: 1000, server: 5000 };
      streams.set(key, st);
      add(p.at, ipPacket(c, s, PROTO_TCP, tcp(p.client.port, p.server.port, st.client - 1, 0, TCP_SYN, Buffer.alloc(0)), 16, ipId++));
      add(p.at, ipPacket(s, c, PROTO_TCP, tcp(p.server.port, p.client.port, st.server - 1, st.client, TCP_SYN | TCP_ACK, Buffer.alloc(0)), 16, ipId++));
      add(p.at, ipPacket(c, s, PROTO_TCP, tcp(p.client.port, p.server.port, st.client, st.server, TCP_ACK, Buffer.alloc(0)), 16, ipId++));
    }
    const framed = Buffer.concat([Buffer.from([(p.bytes.length >> 8) & 0xff, p.bytes.length & 0xff]), p.bytes]);
    if (p.dir === 'in') {
      add(p.at, ipPacket(src, dst, PROTO_TCP, tcp(sport, dport, st.client, st.server, TCP_PSH | TCP_ACK, framed), 16, ipId++));
      st.client += framed.length;
    } else {
      add(p.at, ipPacket(src, dst, PROTO_TCP, tcp(sport, dport, st.server, st.client, TCP_PSH | TCP_ACK, framed), 16, ipId++));
      st.server += framed.length;
    }
  }
  return Buffer.concat(records);
}
