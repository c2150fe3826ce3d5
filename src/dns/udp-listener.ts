import DgramAsPromised from 'dgram-as-promised';
import type { ListenAddress } from './listen.js';
import type { Listener, PacketHandler } from './listener.js';

/**
 * UDP listener. dgram-as-promised gives promise-based bind/send/close; packets arrive through the
 * socket's message callback rather than `recv()`, which would miss datagrams arriving between two
 * calls under load.
 */
export async function listenUdp(addr: ListenAddress, onPacket: PacketHandler): Promise<Listener> {
  const server = { address: addr.host, port: addr.port };
  const sock = DgramAsPromised.createSocket({ type: addr.family === 6 ? 'udp6' : 'udp4' }, (msg, rinfo) => {
    onPacket(msg, {
      transport: 'udp',
      client: { address: rinfo.address, port: rinfo.port },
      server,
      send: (bytes) => {
        sock.send(bytes, rinfo.port, rinfo.address).catch(() => {
          // The client may be gone (ICMP unreachable surfaces here); that is its business.
        });
      },
      close: () => {},
    });
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
