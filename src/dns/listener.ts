import type { ListenAddress, Transport } from './listen.js';

/** Where a packet came from and how to answer it; the same shape for UDP and TCP. */
export interface PacketContext {
  transport: Transport;
  client: { address: string; port: number };
  server: { address: string; port: number };
  connection?: number;
  send(bytes: Buffer): void;
  /** TCP: close the connection; UDP: nothing to close. */
  close(): void;
}

export type PacketHandler = (msg: Buffer, ctx: PacketContext) => void;

export interface Listener {
  /** The address actually bound (port 0 resolved). */
  address: ListenAddress;
  close(): Promise<void>;
}
