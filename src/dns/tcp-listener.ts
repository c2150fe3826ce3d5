import net from 'node:net';
import type { ListenAddress } from './listen.js';
import type { Listener, PacketHandler } from './listener.js';
import { TcpFramer, frame } from './tcp-framing.js';

let connectionCounter = 0;

/** TCP listener: frames messages itself, so pipelined and byte-split queries both work. */
export async function listenTcp(addr: ListenAddress, onPacket: PacketHandler, idleMs: number): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    const connection = ++connectionCounter;
    const framer = new TcpFramer();
    const client = { address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 };
    const local = { address: sock.localAddress ?? addr.host, port: sock.localPort ?? addr.port };
    sock.setNoDelay(true);
    sock.setTimeout(idleMs, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    sock.on('close', () => sockets.delete(sock));
    sock.on('data', (chunk: Buffer) => {
      for (const msg of framer.push(chunk)) {
        onPacket(msg, {
          transport: 'tcp',
          client,
          server: local,
          connection,
          send: (bytes) => {
            if (!sock.destroyed && sock.writable) sock.write(frame(bytes.subarray(0, 65535)));
          },
          close: () => sock.destroy(),
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: addr.host, port: addr.port, exclusive: true, ipv6Only: addr.family === 6 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;
  return {
    address: { ...addr, port: bound.port },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
