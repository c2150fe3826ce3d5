import { performance } from 'node:perf_hooks';
import { BindError } from '../errors.js';
import { parseWith } from '../validate.js';
import { formatListen, parseListen, type ListenAddress } from './listen.js';
import type { Listener, PacketContext } from './listener.js';
import { serverOptionsSchema, type FakeDnsOptions, type Rule } from './options-schema.js';
import { QueryLog, type QueryRecord } from './query-log.js';
import { MalformedQuery, buildReply, formerrFor, parseQuery } from './respond.js';
import { decide } from './rules.js';
import { listenTcp } from './tcp-listener.js';
import { listenUdp } from './udp-listener.js';
import { Zone, normalizeName } from './zone.js';

export interface FakeDnsServer {
  /** The addresses bound, with any port 0 resolved to the real port. */
  readonly addresses: readonly ListenAddress[];
  readonly log: QueryLog;
  /** A copy of the query log, oldest first. */
  queries(): QueryRecord[];
  /** The first bound address of this transport (and family), e.g. to point a client at it. */
  address(transport?: 'udp' | 'tcp', family?: 4 | 6): ListenAddress;
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
  const started = performance.now();
  const nthByName = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const onPacket = (msg: Buffer, ctx: PacketContext): void => {
    const base = {
      seq: log.nextSeq(),
      time: performance.now() - started,
      transport: ctx.transport,
      client: ctx.client,
      server: ctx.server,
      ...(ctx.connection !== undefined ? { connection: ctx.connection } : {}),
      length: msg.length,
    };
    const rejectAsMalformed = (why: string): void => {
      const reply = formerrFor(msg);
      log.add({ ...base, malformed: why, rule: -1, action: reply ? 'formerr' : 'ignore', matched: [], delayMs: 0, response: null });
      if (reply) ctx.send(reply);
    };
    let parsed;
    try {
      parsed = parseQuery(msg);
    } catch (err) {
      rejectAsMalformed(err instanceof MalformedQuery ? err.message : `unreadable: ${String(err)}`);
      return;
    }
    const { query } = parsed;
    const key = normalizeName(query.question.name);
    const nth = (nthByName.get(key) ?? 0) + 1;
    nthByName.set(key, nth);
    const decision = decide(opts.rules as Rule[], {
      qname: query.question.name,
      qtype: query.question.type,
      transport: ctx.transport,
      edns: query.edns !== null,
      ad: (query.flags & (1 << 5)) !== 0,
      cd: (query.flags & (1 << 4)) !== 0,
      do: query.edns?.do ?? false,
      nth,
    });
    let reply;
    try {
      reply = buildReply(query, decision, ctx.transport, { zone, ednsUdpSize: opts.ednsUdpSize, authenticData: opts.authenticData });
    } catch (err) {
      // A query dns-packet can read but not echo back (odd class or type codes): one bad packet
      // must never take the server down.
      rejectAsMalformed(`cannot answer: ${(err as Error).message}`);
      return;
    }
    const record: QueryRecord = {
      ...base,
      id: query.id,
      opcode: opcodeName(query.opcode),
      flags: { rd: (query.flags & (1 << 8)) !== 0, ad: (query.flags & (1 << 5)) !== 0, cd: (query.flags & (1 << 4)) !== 0 },
      qname: query.question.name,
      qtype: query.question.type,
      qclass: query.question.class ?? 'IN',
      edns: query.edns,
      nth,
      rule: decision.ruleIndex,
      action: decision.rule.action,
      matched: decision.matched,
      delayMs: decision.delayMs,
      response: reply.kind === 'send' ? reply.info : null,
      ...(reply.kind === 'garbage' ? { garbageBytes: reply.bytes.length } : {}),
    };
    log.add(record);
    const deliver = (): void => {
      if (closed) return;
      if (reply.kind === 'send') {
        ctx.send(reply.bytes);
        if (record.response) record.response.sentAt = performance.now() - started;
      } else if (reply.kind === 'garbage') ctx.send(reply.bytes);
      else if (reply.kind === 'close') ctx.close();
    };
    if (decision.delayMs > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        deliver();
      }, decision.delayMs);
      timers.add(t);
    } else deliver();
  };

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
    address(transport, family) {
      const a = addresses.find((x) => (!transport || x.transport === transport) && (!family || x.family === family));
      if (!a) throw new Error(`the server has no ${transport ?? ''} ${family ? `IPv${family} ` : ''}listener`);
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

function opcodeName(op: number): string {
  return ['QUERY', 'IQUERY', 'STATUS', 'OPCODE_3', 'NOTIFY', 'UPDATE'][op] ?? `OPCODE_${op}`;
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
