import { randomBytes } from 'node:crypto';
import * as packet from 'dns-packet';
import type { Answer, Packet, Question, RecordType } from 'dns-packet';
import type { Rule } from './options-schema.js';
import type { Decision } from './rules.js';
import type { ResponseInfo } from './query-log.js';
import type { ParsedQuery } from './query-reader.js';
import { AA, AD, CD, EDNS_DO, QR, RA, RCODE, RD, TC, rcodeName } from './codes.js';
import type { Transport } from './listen.js';
import type { Zone } from './zone.js';


export interface ResponderConfig {
  zone: Zone;
  ednsUdpSize: number;
  authenticData: boolean;
}

export type Reply =
  | { kind: 'drop' }
  | { kind: 'close' }
  | { kind: 'send'; bytes: Buffer; info: ResponseInfo }
  | { kind: 'garbage'; bytes: Buffer };

/** A header-only FORMERR for a packet we could not read but whose header looks like a query. */
export function formerrFor(buf: Buffer): Buffer | null {
  if (buf.length < 12 || buf.readUInt16BE(2) & QR) return null;
  const out = Buffer.alloc(12);
  out.writeUInt16BE(buf.readUInt16BE(0), 0);
  const opcodeBits = buf.readUInt16BE(2) & (0xf << 11);
  out.writeUInt16BE(QR | opcodeBits | (buf.readUInt16BE(2) & RD) | RCODE.FORMERR, 2);
  return out;
}

function opt(size: number, query: ParsedQuery, extended = 0): Answer {
  return {
    name: '.',
    type: 'OPT',
    udpPayloadSize: size,
    extendedRcode: extended,
    ednsVersion: 0,
    flags: query.edns?.do ? EDNS_DO : 0,
    options: [],
  } as unknown as Answer;
}

function addressRecords(qname: string, qtype: string, n: number): Answer[] {
  const out: Answer[] = [];
  for (let i = 0; i < n; i++) {
    // 198.18.0.0/15 and 2001:db8::/32 are reserved for benchmarks and documentation.
    const data = qtype === 'AAAA' ? `2001:db8::${(i + 1).toString(16)}` : `198.18.${(i >> 8) & 0xff}.${i & 0xff}`;
    out.push({ name: qname, type: qtype === 'AAAA' ? 'AAAA' : 'A', ttl: 60, class: 'IN', data } as Answer);
  }
  return out;
}

const HEADER = 12;

function recordSize(r: Answer): number {
  return packet.encodingLength({ answers: [r] }) - HEADER;
}

const EMPTY = Buffer.alloc(0);

/** Puts the raw question section right after the header of an encoded reply that has none. */
function withQuestion(encoded: Buffer, question: Buffer): Buffer {
  if (question.length === 0) return encoded;
  const out = Buffer.allocUnsafe(encoded.length + question.length);
  encoded.copy(out, 0, 0, HEADER);
  out.writeUInt16BE(1, 4);
  question.copy(out, HEADER);
  encoded.copy(out, HEADER + question.length, HEADER);
  return out;
}

/** Drops whole records from the end (additional, authority, answer) until the message fits. */
function trimToFit(p: Required<Pick<Packet, 'answers' | 'authorities' | 'additionals'>> & Packet, limit: number): boolean {
  let size = packet.encodingLength(p);
  if (size <= limit) return false;
  const sections = [p.additionals, p.authorities, p.answers];
  for (const list of sections) {
    while (size > limit && list.length > 0) {
      const idx = list.findLastIndex((r) => r.type !== 'OPT');
      if (idx < 0) break;
      size -= recordSize(list[idx] as Answer);
      list.splice(idx, 1);
    }
  }
  return true;
}

/**
 * Builds the reply for one query under the rules' decision. All the protocol faults live here, so
 * listeners only move bytes.
 */
export function buildReply(query: ParsedQuery, decision: Decision, transport: Transport, cfg: ResponderConfig): Reply {
  const rule: Rule = decision.rule;
  const action = rule.action;
  if (action === 'drop') return { kind: 'drop' };
  if (action === 'tcp-close') return { kind: 'close' };
  if (action === 'garbage') return { kind: 'garbage', bytes: randomBytes(rule.bytes) };

  const q = query.question;
  let rcode = 0;
  let answers: Answer[] = [];
  let authorities: Answer[] = [];
  const additionals: Answer[] = [];
  let flags = QR | (query.opcode << 11) | (query.flags & (RD | CD));
  if (!decision.clearRa) flags |= RA;
  let withOpt = query.edns !== null;
  let extended = 0;
  let limitApplies = true;
  let id = query.id;
  // The question goes back byte for byte as it came, unless a fault replaces or removes it.
  let questions: Question[] = [];
  let echoQuestion = true;

  if (query.opcode !== 0) {
    rcode = RCODE.NOTIMP;
  } else {
    switch (action) {
      case 'refuse': rcode = RCODE.REFUSED; break;
      case 'servfail': rcode = RCODE.SERVFAIL; break;
      case 'formerr': rcode = RCODE.FORMERR; withOpt = false; break;
      case 'notimp': rcode = RCODE.NOTIMP; withOpt = false; break;
      case 'nxdomain':
      case 'nodata': {
        rcode = action === 'nxdomain' ? RCODE.NXDOMAIN : 0;
        authorities = cfg.zone.authorityFor(q.name);
        break;
      }
      case 'truncate': flags |= TC; break;
      case 'extended-rcode':
        withOpt = true;
        rcode = rule.rcode & 0xf;
        extended = rule.rcode >> 4;
        break;
      case 'oversize':
        answers = addressRecords(q.name, q.type, rule.records);
        limitApplies = rule.overflow === 'truncate';
        break;
      default: {
        // swap-parallel: this query gets its partner's question and answer, under its own ID.
        const r = cfg.zone.resolve(q.name, decision.swapTo ?? q.type);
        if (decision.swapTo) {
          echoQuestion = false;
          questions = [{ name: q.name, type: decision.swapTo, class: 'IN' }];
        }
        rcode = RCODE[r.rcode];
        answers = r.answers;
        authorities = r.authorities;
        if (action === 'wrong-id') id = (query.id + 1) & 0xffff;
        if (action === 'no-question') echoQuestion = false;
        if (action === 'wrong-question') {
          echoQuestion = false;
          questions = [{ name: rule.qname, type: q.type as RecordType, class: 'IN' }];
          answers = answers.map((a) => ({ ...a, name: rule.qname }));
        }
        if (action === 'opt-in-answer') withOpt = false; // placed below, in the answer section
      }
    }
  }
  if (cfg.authenticData && rcode === 0 && (query.flags & AD || query.edns?.do)) flags |= AD;
  if (withOpt) additionals.push(opt(cfg.ednsUdpSize, query, extended));
  if (action === 'opt-in-answer') answers.push(opt(cfg.ednsUdpSize, query));

  const p = { type: 'response' as const, id, flags: (flags & 0x7ff0) | rcode, questions, answers, authorities, additionals };
  const echoed = echoQuestion ? query.packet.subarray(12, query.questionEnd) : EMPTY;
  if (limitApplies) {
    const limit = transport === 'tcp' ? 65535 : query.edns ? Math.max(512, Math.min(query.edns.udpSize, cfg.ednsUdpSize)) : 512;
    if (trimToFit(p, limit - echoed.length)) p.flags |= TC;
  }
  // flags above holds only the 15 low bits dns-packet takes; QR comes from type: 'response'.
  const bytes = withQuestion(packet.encode(p), echoed);
  const finalFlags = bytes.readUInt16BE(2);
  const rcodeFull = (extended << 4) | rcode;
  return {
    kind: 'send',
    bytes,
    info: {
      id,
      rcode: rcodeName(rcodeFull),
      flags: {
        aa: (finalFlags & AA) !== 0,
        tc: (finalFlags & TC) !== 0,
        rd: (finalFlags & RD) !== 0,
        ra: (finalFlags & RA) !== 0,
        ad: (finalFlags & AD) !== 0,
        cd: (finalFlags & CD) !== 0,
      },
      questions: echoQuestion ? 1 : questions.length,
      answers: p.answers.length,
      authorities: p.authorities.length,
      additionals: p.additionals.length,
      opt: action === 'opt-in-answer' ? 'answer' : withOpt ? 'additional' : 'none',
      length: bytes.length,
    },
  };
}

