import DgramAsPromised, { type Socket } from 'dgram-as-promised';
import type { ListenAddress } from './listen.js';
import type { Listener, PacketContext, PacketHandler } from './listener.js';

/**
 * UDP listener. dgram-as-promised gives promise-based bind/send/close; packets arrive through the
 * socket's message callback rather than `recv()`, which would miss datagrams arriving between two
 * calls under load.
 */

/**
 * Peers are always literal addresses (they come from the datagram's sender), so the lookup that
 * dgram runs before every send can answer at once. The default goes through dns.lookup and a
 * nextTick per datagram, which cost about a fifth of the server's throughput.
 */
const literalLookup = (address: string, family: number, callback: (err: Error | null, address: string, family: number) => void): void => {
  callback(null, address, family);
};

/** The context of one datagram: a class, so the per-packet cost is one small object. */
class UdpPeer implements PacketContext {
  readonly transport = 'udp' as const;
  constructor(
    private readonly socket: Socket,
    readonly client: { address: string; port: number },
    readonly server: { address: string; port: number },
  ) {}

  send(bytes: Buffer): void {
    // The plain socket's send, without a promise or a callback per datagram: this is the hot
    // path. Errors (the client gone, ICMP unreachable) are the client's business, and without a
    // callback dgram neither reports nor schedules anything for them.
    this.socket.send(bytes, this.client.port, this.client.address);
  }

  close(): void {}
}

export async function listenUdp(addr: ListenAddress, onPacket: PacketHandler): Promise<Listener> {
  const server = { address: addr.host, port: addr.port };
  const sock = DgramAsPromised.createSocket({ type: addr.family === 6 ? 'udp6' : 'udp4', lookup: literalLookup as never }, (msg, rinfo) => {
    onPacket(msg, new UdpPeer(sock.socket, { address: rinfo.address, port: rinfo.port }, server));
  });
  const info = await sock.bind({ port: addr.port, address: addr.host, exclusive: true });
  server.port = info.port;
  try {
    // Bigger buffers keep bursts (benchmarks, fuzzing) from being dropped by the kernel.
    sock.setRecvBufferSize(4 << 20);
    sock.setSendBufferSize(4 << 20);
  } catch {
    // Capped by net.core.rmem_max; the default works, only slower under bursts.
  }
  return {
    address: { ...addr, port: info.port },
    close: async () => {
      await sock.close().catch(() => {});
    },
  };
}
