import { isIP } from 'node:net';
import { ConfigError } from '../errors.js';

import type { Transport } from '../results/model.js';
export type { Transport } from '../results/model.js';

/** One socket the fake server listens on, e.g. `127.0.0.53:53/udp` or `[::1]:53/tcp`. */
export interface ListenAddress {
  host: string;
  port: number;
  transport: Transport;
  family: 4 | 6;
}

const SPEC = /^(?:\[(?<v6>[^\]]+)\]|(?<v4>[0-9.]+)):(?<port>\d+)\/(?<transport>udp|tcp)$/;

function isLoopback(host: string, family: 4 | 6): boolean {
  if (family === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/**
 * Parses `host:port/transport`. Only loopback addresses are accepted: the fake server is never
 * meant to answer anything but this machine (or a sandbox's own loopback). Port 0 means "any free
 * port"; UDP and TCP entries for the same host:0 then share one port.
 */
export function parseListen(spec: string, field = 'listen'): ListenAddress {
  const m = SPEC.exec(spec.trim());
  const groups = m?.groups;
  if (!groups) {
    throw new ConfigError(field, spec, 'expected HOST:PORT/udp or HOST:PORT/tcp, e.g. 127.0.0.53:53/udp or [::1]:53/tcp');
  }
  const host = groups.v6 ?? groups.v4 ?? '';
  const family = isIP(host);
  if (family !== 4 && family !== 6) throw new ConfigError(field, spec, `"${host}" is not an IP address`);
  if (groups.v6 !== undefined && family !== 6) throw new ConfigError(field, spec, 'brackets are for IPv6 addresses only');
  if (!isLoopback(host, family)) throw new ConfigError(field, spec, 'only loopback addresses (127.0.0.0/8, ::1) are allowed');
  const port = Number(groups.port);
  if (port > 65535) throw new ConfigError(field, spec, 'the port must be 0..65535');
  return { host, port, transport: groups.transport as Transport, family };
}

export function formatListen(a: Pick<ListenAddress, 'host' | 'port' | 'transport' | 'family'>): string {
  const host = a.family === 6 ? `[${a.host}]` : a.host;
  return `${host}:${a.port}/${a.transport}`;
}
