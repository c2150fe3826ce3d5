import { PacketCapture } from './packet-capture.js';
import { performance } from 'node:perf_hooks';
import { BindError, HarnessError } from '../errors.js';
import { parseWith } from '../validate.js';
import { formatListen, parseListen, type ListenAddress } from './listen.js';
import type { Listener, PacketContext } from './listener.js';
import { serverOptionsSchema, type FakeDnsOptions, type Rule } from './options-schema.js';
import { QueryLog, type QueryRecord } from './query-log.js';
import { createQueryHandler } from './handler.js';
import { listenTcp } from './tcp-listener.js';
import { listenUdp } from './udp-listener.js';
import { Zone } from './zone.js';

export interface FakeDnsServer {
  /** The addresses bound, with any port 0 resolved to the real port. */
  readonly addresses: readonly ListenAddress[];
  readonly log: QueryLog;
  /** A copy of the query log, oldest first. */
  queries(): QueryRecord[];
  /** The first bound address of this transport (and family), e.g. to point a client at it. */
  address(transport?: 'udp' | 'tcp', family?: 4 | 6): ListenAddress;
  /** Starts the per-name query counts (the `nth` rule field) from zero again. */
  resetCounters(): void;
  /** The raw messages in and out, when started with `capture` > 0 (else null). */
  readonly capture: PacketCapture | null;
  /** Stops listening, cancels delayed replies, closes TCP connections. Safe to call twice. */
  close(): Promise<void>;
}

const BIND_RETRIES = 20;

/**
 * Starts a fake DNS server on loopback. Options are validated first; a bad value throws a
 * ConfigError naming the field (`source` says where the options came from, e.g. a file name).
 */
export async function startFakeDns(options: FakeDnsOptions, source = 'startFakeDns options'): Promise<FakeDnsServer> {
  const opts = parseWith(serverOptionsSchema, options, source);
  const wanted = opts.listen.map((spec, i) => parseListen(spec, `${source}: listen[${i}]`));
  const zone = new Zone(opts.records, opts.ttl);
  const log = new QueryLog(opts.logLimit);
  const capture = opts.capture > 0 ? new PacketCapture(opts.capture) : null;
  const started = performance.now();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const { onPacket, resetCounters } = createQueryHandler({
    zone,
    rules: opts.rules as Rule[],
    log,
    responder: { zone, ednsUdpSize: opts.ednsUdpSize, authenticData: opts.authenticData },
    started,
    timers,
    isClosed: () => closed,
    capture,
  });

  const listeners: Listener[] = [];
  try {
    for (const group of groupByHost(wanted)) listeners.push(...(await bindGroup(group, onPacket, opts.tcpIdleMs)));
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    throw err;
  }

  const addresses = listeners.map((l) => l.address);
  return {
    addresses,
    log,
    queries: () => log.entries(),
    resetCounters,
    capture,
    address(transport, family) {
      const a = addresses.find((x) => (!transport || x.transport === transport) && (!family || x.family === family));
      if (!a) throw new HarnessError('GDH_INTERNAL', `the server has no ${transport ?? ''} ${family ? `IPv${family} ` : ''}listener`);
      return a;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}

/** Entries with port 0 on one host are bound together so UDP and TCP end up on the same port. */
function groupByHost(addrs: ListenAddress[]): ListenAddress[][] {
  const groups = new Map<string, ListenAddress[]>();
  const out: ListenAddress[][] = [];
  for (const a of addrs) {
    if (a.port !== 0) {
      out.push([a]);
      continue;
    }
    let g = groups.get(a.host);
    if (!g) {
      g = [];
      groups.set(a.host, g);
      out.push(g);
    }
    g.push(a);
  }
  return out;
}

async function bindOne(a: ListenAddress, onPacket: (m: Buffer, c: PacketContext) => void, idleMs: number): Promise<Listener> {
  try {
    return a.transport === 'udp' ? await listenUdp(a, onPacket) : await listenTcp(a, onPacket, idleMs);
  } catch (err) {
    throw new BindError(formatListen(a), err as NodeJS.ErrnoException);
  }
}

async function bindGroup(group: ListenAddress[], onPacket: (m: Buffer, c: PacketContext) => void, idleMs: number): Promise<Listener[]> {
  const [first, ...rest] = group as [ListenAddress, ...ListenAddress[]];
  for (let attempt = 0; ; attempt++) {
    const bound: Listener[] = [await bindOne(first, onPacket, idleMs)];
    const port = bound[0]!.address.port;
    try {
      for (const a of rest) bound.push(await bindOne({ ...a, port }, onPacket, idleMs));
      return bound;
    } catch (err) {
      await Promise.all(bound.map((l) => l.close()));
      const busy = err instanceof BindError && (err.cause as NodeJS.ErrnoException)?.code === 'EADDRINUSE';
      if (first.port !== 0 || !busy || attempt >= BIND_RETRIES) throw err;
    }
  }
}
