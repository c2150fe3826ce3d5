import { performance } from 'node:perf_hooks';
import type { PacketContext } from './listener.js';
import type { Rule } from './options-schema.js';
import type { QueryLog, QueryRecord, ResponseInfo } from './query-log.js';
import { MalformedQuery, parseQuery, type ParsedQuery } from './query-reader.js';
import { ReplyCache } from './reply-cache.js';
import { buildReply, formerrFor, type Reply, type ResponderConfig } from './respond.js';
import { decide } from './rules.js';
import { normalizeName, type Zone } from './zone.js';

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
}

const RD_BIT = 1 << 8;
const AD_BIT = 1 << 5;
const CD_BIT = 1 << 4;
const OPCODES = ['QUERY', 'IQUERY', 'STATUS', 'OPCODE_3', 'NOTIFY', 'UPDATE'];

// Every logged record is retained, so the small objects it points to are shared where they can
// be: eight possible flag combinations, and one empty list for "no rule matched".
const QUERY_FLAGS = Array.from({ length: 8 }, (_, i) => Object.freeze({ rd: (i & 4) !== 0, ad: (i & 2) !== 0, cd: (i & 1) !== 0 }));
const NO_MATCH: number[] = Object.freeze([]) as unknown as number[];

function flagsOf(bits: number): QueryRecord['flags'] {
  return QUERY_FLAGS[((bits & RD_BIT) !== 0 ? 4 : 0) | ((bits & AD_BIT) !== 0 ? 2 : 0) | ((bits & CD_BIT) !== 0 ? 1 : 0)];
}

function replyKey(q: ParsedQuery, transport: string, rule: number, clearRa: boolean): string {
  const e = q.edns ? `${q.edns.udpSize}${q.edns.do ? 'd' : ''}` : '-';
  return `${q.question.name}|${q.question.type}|${q.question.class}|${q.opcode}|${q.flags & (RD_BIT | AD_BIT | CD_BIT)}|${e}|${transport}|${rule}|${clearRa ? 1 : 0}`;
}

function copyInfo(info: ResponseInfo, id: number): ResponseInfo {
  return {
    id,
    rcode: info.rcode,
    flags: info.flags,
    questions: info.questions,
    answers: info.answers,
    authorities: info.authorities,
    additionals: info.additionals,
    opt: info.opt,
    length: info.length,
  };
}

/**
 * The per-packet path: read, count, decide, reply (from cache when the same reply was built
 * before), log, deliver. It runs for every datagram, so it builds each record in one literal of
 * fixed shape rather than by spreading.
 */
export function createQueryHandler(deps: HandlerDeps): { onPacket: (msg: Buffer, ctx: PacketContext) => void; resetCounters: () => void } {
  const { rules, log, responder, started, timers } = deps;
  const nthByName = new Map<string, number>();
  const replies = new ReplyCache();

  const malformed = (msg: Buffer, ctx: PacketContext, seq: number, time: number, why: string): void => {
    const reply = formerrFor(msg);
    const record: QueryRecord = {
      seq, time, transport: ctx.transport, client: ctx.client, server: ctx.server, length: msg.length,
      malformed: why, rule: -1, action: reply ? 'formerr' : 'ignore', matched: [], delayMs: 0, response: null,
    };
    if (ctx.connection !== undefined) record.connection = ctx.connection;
    log.add(record);
    if (reply) ctx.send(reply);
  };

  const onPacket = (msg: Buffer, ctx: PacketContext): void => {
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
    const key = normalizeName(q.name);
    const nth = (nthByName.get(key) ?? 0) + 1;
    nthByName.set(key, nth);
    const decision = decide(rules, {
      qname: q.name,
      qtype: q.type,
      transport: ctx.transport,
      edns: query.edns !== null,
      ad: (query.flags & AD_BIT) !== 0,
      cd: (query.flags & CD_BIT) !== 0,
      do: query.edns?.do ?? false,
      nth,
    });
    const action = decision.rule.action;
    const cacheable = action !== 'garbage' && action !== 'wrong-id';
    const cacheKey = cacheable ? replyKey(query, ctx.transport, decision.ruleIndex, decision.clearRa) : '';
    const cached = cacheable ? replies.get(cacheKey) : undefined;
    let reply: Reply;
    if (cached) {
      reply = { kind: 'send', bytes: ReplyCache.stamp(cached, query.id), info: copyInfo(cached.info, query.id) };
    } else {
      try {
        reply = buildReply(query, decision, ctx.transport, responder);
      } catch (err) {
        // A query we can read but not echo back (odd class or type codes): one bad packet must
        // never take the server down.
        malformed(msg, ctx, seq, time, `cannot answer: ${(err as Error).message}`);
        return;
      }
      if (cacheable && reply.kind === 'send') replies.set(cacheKey, reply.bytes, reply.info);
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
    log.add(record);

    const deliver = (): void => {
      if (deps.isClosed()) return;
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
  return { onPacket, resetCounters: () => nthByName.clear() };
}
