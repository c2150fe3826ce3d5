/** Raw DNS messages and TCP exchanges, for tests that need exact control of the bytes. */
import net from 'node:net';
import * as packet from 'dns-packet';

export function query(name: string, type: 'A' | 'AAAA' = 'A', id = 0x1234): Buffer {
  return packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
}

export function framed(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

/** Connects, hands the socket to `write`, and collects framed replies until `want` arrive or it closes. */
export async function tcpExchange(
  port: number,
  write: (sock: net.Socket) => Promise<void> | void,
  want: number,
  timeoutMs = 10_000,
): Promise<{ replies: packet.Packet[]; closedByServer: boolean }> {
  const sock = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((res, rej) => sock.once('connect', res).once('error', rej));
  const replies: packet.Packet[] = [];
  let buf = Buffer.alloc(0);
  let closedByServer = false;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(packet.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (replies.length >= want) {
        clearTimeout(timer);
        resolve();
      }
    });
    sock.on('close', () => {
      closedByServer = true;
      clearTimeout(timer);
      resolve();
    });
    sock.on('error', () => {});
  });
  await write(sock);
  await done;
  sock.destroy();
  return { replies, closedByServer };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once the server's log holds `count` records: the event a test waits for instead of a
 * guessed pause. Rejects after `ms` so a lost packet fails the test with a reason, not a hang.
 */
export function logged(server: { log: { count: number; subscribe(l: () => void): () => void } }, count: number, ms = 10_000): Promise<void> {
  if (server.log.count >= count) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`the server logged ${server.log.count} of ${count} queries within ${ms} ms`));
    }, ms);
    const off = server.log.subscribe(() => {
      if (server.log.count < count) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
