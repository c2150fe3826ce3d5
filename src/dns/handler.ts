import type { PacketCapture } from './packet-capture.js';
import { performance } from 'node:perf_hooks';
import type { PacketContext } from './listener.js';
import type { Rule } from './options-schema.js';
import type { QueryLog, QueryRecord } from './query-log.js';
import { MalformedQuery, parseQuery, type ParsedQuery } from './query-reader.js';
import { ReplyCache } from './reply-cache.js';
import { buildReply, formerrFor, type Reply, type ResponderConfig } from './respond.js';
import { decide } from './rules.js';
import { normalizeName, type Zone } from './zone.js';
import { AD, CD, RD } from './codes.js';

export interface HandlerDeps {
  zone: Zone;
  rules: Rule[];
  log: QueryLog;
  responder: ResponderConfig;
  /** performance.now() when the server started; log times are relative to it. */
  started: number;
  /** Pending delayed replies, so close() can cancel them. */
  timers: Set<NodeJS.Timeout>;
  isClosed(): boolean;
  /** Where raw messages go when the server captures them. */
  capture: PacketCapture | null;
}

const OPCODES = ['QUERY', 'IQUERY', 'STATUS', 'OPCODE_3', 'NOTIFY', 'UPDATE'];

// Every logged record is retained, so the small objects it points to are shared where they can
// be: eight possible flag combinations, and one empty list for "no rule matched".
const QUERY_FLAGS = Array.from({ length: 8 }, (_, i) => Object.freeze({ rd: (i & 4) !== 0, ad: (i & 2) !== 0, cd: (i & 1) !== 0 }));
const NO_MATCH: number[] = Object.freeze([]) as unknown as number[];

function flagsOf(bits: number): QueryRecord['flags'] {
  return QUERY_FLAGS[((bits & RD) !== 0 ? 4 : 0) | ((bits & AD) !== 0 ? 2 : 0) | ((bits & CD) !== 0 ? 1 : 0)];
}

/**
 * Everything besides name, type and class that a reply depends on, packed into one number for the
 * reply cache: opcode (4 bits), RD/AD/CD (3), EDNS size or none (17), DO, transport, clear-RA and
 * the deciding rule.
 */
function replyVariant(q: ParsedQuery, transport: string, rule: number, clearRa: boolean): number {
  const header = q.opcode * 8 + ((q.flags & RD) !== 0 ? 4 : 0) + ((q.flags & AD) !== 0 ? 2 : 0) + ((q.flags & CD) !== 0 ? 1 : 0);
  const edns = q.edns === null ? 0 : q.edns.udpSize + 1;
  const bits = (q.edns?.do ? 4 : 0) + (transport === 'tcp' ? 2 : 0) + (clearRa ? 1 : 0);
  return ((rule + 1) * 8 + bits) * 2 ** 24 + edns * 128 + header;
}

/**
 * The per-packet path: read, count, decide, reply (from cache when the same reply was built
 * before), log, deliver. It runs for every datagram, so it builds each record in one literal of
 * fixed shape rather than by spreading.
 */
export function createQueryHandler(deps: HandlerDeps): { onPacket: (msg: Buffer, ctx: PacketContext) => void; resetCounters: () => void } {
  const { rules, log, responder, started, timers, capture } = deps;
  const recordPacket = (dir: 'in' | 'out', bytes: Buffer, ctx: PacketContext): void => {
    capture?.add({
      at: performance.timeOrigin + performance.now(),
      dir,
      transport: ctx.transport,
      client: ctx.client,
      server: ctx.server,
      ...(ctx.connection !== undefined ? { connection: ctx.connection } : {}),
      bytes: Buffer.from(bytes),
    });
  };
  const nthByName = new Map<string, number>();
  /** When the first query for name|type came (delay since: first). */
  const firstAsked = new Map<string, number>();
  // The reader hands out one string per repeated name; remembering its normal form skips a
  // lower-casing per packet.
  let lastName = '';
  let lastKey = '';
  // swap-parallel needs to know when each name's A and AAAA queries last came; kept only when a
  // rule can use it, so ordinary servers pay nothing for it.
  const pairWindow = rules.some((r) => r.action === 'swap-parallel');
  const lastAsked = new Map<string, number>();
  const replies = new ReplyCache();

  const malformed = (msg: Buffer, ctx: PacketContext, seq: number, time: number, why: string): void => {
    const reply = formerrFor(msg);
    const record: QueryRecord = {
      seq, time, transport: ctx.transport, client: ctx.client, server: ctx.server, length: msg.length,
      malformed: why, rule: -1, action: reply ? 'formerr' : 'ignore', matched: [], delayMs: 0, response: null,
    };
    if (ctx.connection !== undefined) record.connection = ctx.connection;
    log.add(record);
    if (reply) {
      if (capture) recordPacket('out', reply, ctx);
      ctx.send(reply);
    }
  };

  const onPacket = (msg: Buffer, ctx: PacketContext): void => {
    if (capture) recordPacket('in', msg, ctx);
    const seq = log.nextSeq();
    const time = performance.now() - started;
    let query: ParsedQuery;
    try {
      query = parseQuery(msg);
    } catch (err) {
      malformed(msg, ctx, seq, time, err instanceof MalformedQuery ? err.message : `unreadable: ${String(err)}`);
      return;
    }
    const q = query.question;
    if (q.name !== lastName) {
      lastName = q.name;
      lastKey = normalizeName(q.name);
    }
    const key = lastKey;
    const nth = (nthByName.get(key) ?? 0) + 1;
    nthByName.set(key, nth);
    const decision = decide(rules, {
      qname: q.name,
      qtype: q.type,
      transport: ctx.transport,
      edns: query.edns !== null,
      ad: (query.flags & AD) !== 0,
      cd: (query.flags & CD) !== 0,
      do: query.edns?.do ?? false,
      nth,
    });
    if (decision.delayFromFirstMs > 0) {
      const firstKey = `${key}|${q.type}`;
      const first = firstAsked.get(firstKey) ?? time;
      firstAsked.set(firstKey, first);
      decision.delayMs += Math.max(0, Math.round(first + decision.delayFromFirstMs - time));
    }
    const action = decision.rule.action;
    if (pairWindow && (q.type === 'A' || q.type === 'AAAA')) {
      const partner = q.type === 'A' ? 'AAAA' : 'A';
      const partnerAt = lastAsked.get(`${key}|${partner}`);
      lastAsked.set(`${key}|${q.type}`, time);
      if (action === 'swap-parallel' && partnerAt !== undefined && time - partnerAt <= decision.rule.windowMs) decision.swapTo = partner;
    }
    const cacheable = action !== 'garbage' && action !== 'wrong-id' && action !== 'swap-parallel';
    const variant = cacheable ? replyVariant(query, ctx.transport, decision.ruleIndex, decision.clearRa) : 0;
    const cached = cacheable ? replies.get(q.name, q.type, q.class, variant) : undefined;
    let reply: Reply;
    if (cached) {
      // The cached info says id 0; the log takes the real one separately (see log.add).
      reply = { kind: 'send', bytes: ReplyCache.stamp(cached, query.id), info: cached.info };
    } else {
      try {
        reply = buildReply(query, decision, ctx.transport, responder);
      } catch (err) {
        // A query we can read but not echo back (odd class or type codes): one bad packet must
        // never take the server down.
        malformed(msg, ctx, seq, time, `cannot answer: ${(err as Error).message}`);
        return;
      }
      if (cacheable && reply.kind === 'send') replies.set(q.name, q.type, q.class, variant, reply.bytes, reply.info);
    }
    const record: QueryRecord = {
      seq,
      time,
      transport: ctx.transport,
      client: ctx.client,
      server: ctx.server,
      length: msg.length,
      id: query.id,
      opcode: OPCODES[query.opcode] ?? `OPCODE_${query.opcode}`,
      flags: flagsOf(query.flags),
      qname: q.name,
      qtype: q.type,
      qclass: q.class,
      edns: query.edns,
      nth,
      rule: decision.ruleIndex,
      action,
      matched: decision.matched.length === 0 ? NO_MATCH : decision.matched,
      delayMs: decision.delayMs,
      response: reply.kind === 'send' ? reply.info : null,
    };
    if (ctx.connection !== undefined) record.connection = ctx.connection;
    if (reply.kind === 'garbage') record.garbageBytes = reply.bytes.length;
    log.add(record, cached ? query.id : undefined);

    const deliver = (): void => {
      if (deps.isClosed()) return;
      if (capture && reply.kind !== 'drop' && reply.kind !== 'close') recordPacket('out', reply.bytes, ctx);
      if (reply.kind === 'send') {
        ctx.send(reply.bytes);
        log.markSent(seq, performance.now() - started);
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
  return {
    onPacket,
    resetCounters: () => {
      nthByName.clear();
      lastAsked.clear();
      firstAsked.clear();
    },
  };
}
