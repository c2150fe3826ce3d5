import * as classes from 'dns-packet/classes.js';
import { EDNS_DO, OPT_TYPE, QR } from './codes.js';
import * as types from 'dns-packet/types.js';
import type { EdnsInfo } from './query-log.js';

/** A query, read once, with the facts rules and answers need. */
export interface ParsedQuery {
  id: number;
  /** The header's flag bits (QR clear). */
  flags: number;
  opcode: number;
  question: { name: string; type: string; class: string };
  /** The packet as received; the question section, echoed back verbatim, is `packet[12, questionEnd)`. */
  packet: Buffer;
  questionEnd: number;
  edns: EdnsInfo | null;
}

export class MalformedQuery extends Error {}

const MAX_NAME = 255;

/**
 * Reads a name at `start`; returns it and the offset just past it in place. Labels are decoded as
 * latin1, which maps every byte to one character: nothing is lost (UTF-8 decoding would replace
 * invalid bytes), and it is the fastest decoder, which matters on this per-packet path.
 */
function readName(buf: Buffer, start: number): [string, number] {
  let name = '';
  let off = start;
  let end = -1;
  let total = 0;
  for (let jumps = 0; ; ) {
    if (off >= buf.length) throw new MalformedQuery(`name at byte ${start} runs past the end`);
    const len = buf[off] as number;
    if (len === 0) {
      if (end < 0) end = off + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= buf.length) throw new MalformedQuery(`compression pointer at byte ${off} runs past the end`);
      const target = ((len & 0x3f) << 8) | (buf[off + 1] as number);
      if (target >= off) throw new MalformedQuery(`compression pointer at byte ${off} points forward (to ${target})`);
      if (target < 12) throw new MalformedQuery(`compression pointer at byte ${off} points into the header`);
      if (++jumps > 64) throw new MalformedQuery('too many compression pointers');
      if (end < 0) end = off + 2;
      off = target;
      continue;
    }
    if (len & 0xc0) throw new MalformedQuery(`label type 0x${(len & 0xc0).toString(16)} at byte ${off} is not supported`);
    if (off + 1 + len > buf.length) throw new MalformedQuery(`label at byte ${off} runs past the end`);
    total += len + 1;
    if (total > MAX_NAME) throw new MalformedQuery('name longer than 255 bytes');
    const label = buf.toString('latin1', off + 1, off + 1 + len);
    name = name === '' ? label : `${name}.${label}`;
    off += 1 + len;
  }
  return [name === '' ? '.' : name, end];
}

function skipRecord(buf: Buffer, off: number): number {
  const [, after] = readName(buf, off);
  if (after + 10 > buf.length) throw new MalformedQuery(`record at byte ${off} runs past the end`);
  const next = after + 10 + buf.readUInt16BE(after + 8);
  if (next > buf.length) throw new MalformedQuery(`record data at byte ${after + 10} runs past the end`);
  return next;
}

function readOpt(buf: Buffer, typeAt: number, rdEnd: number): EdnsInfo {
  const ttl = buf.readUInt32BE(typeAt + 4);
  const options: EdnsInfo['options'] = [];
  for (let o = typeAt + 10; o < rdEnd; ) {
    if (o + 4 > rdEnd) throw new MalformedQuery(`EDNS option at byte ${o} runs past the OPT record`);
    const len = buf.readUInt16BE(o + 2);
    if (o + 4 + len > rdEnd) throw new MalformedQuery(`EDNS option at byte ${o} runs past the OPT record`);
    options.push({ code: buf.readUInt16BE(o), data: buf.toString('hex', o + 4, o + 4 + len) });
    o += 4 + len;
  }
  return { udpSize: buf.readUInt16BE(typeAt + 2), version: (ttl >>> 16) & 0xff, do: (ttl & EDNS_DO) !== 0, options };
}

/**
 * Reads a query without building a whole packet object: this is the server's hot path, and the
 * reply echoes the question bytes as received. Anything that is not a well-formed single-question
 * query throws MalformedQuery saying where and why.
 */
/**
 * The wire form and text of the last question name read. Clients ask the same name again and
 * again (A then AAAA, retries); comparing bytes is cheaper than decoding, and handing out the same
 * string lets every map keyed by it skip hashing. A question name at byte 12 cannot be compressed
 * (pointers into the header are refused), so equal bytes mean an equal, equally valid name.
 */
let lastWire = new Uint8Array(0);
let lastName = '';

function readQuestionName(buf: Buffer): [string, number] {
  const n = lastWire.length;
  if (n > 0 && buf.length >= 12 + n) {
    let i = 0;
    while (i < n && buf[12 + i] === lastWire[i]) i++;
    if (i === n) return [lastName, 12 + n];
  }
  const [name, end] = readName(buf, 12);
  if (end - 12 <= MAX_NAME + 1 && buf[end - 1] === 0) {
    lastWire = Uint8Array.prototype.slice.call(buf, 12, end);
    lastName = name;
  }
  return [name, end];
}

export function parseQuery(buf: Buffer): ParsedQuery {
  if (buf.length < 12) throw new MalformedQuery(`too short for a DNS header (${buf.length} bytes)`);
  const flags = buf.readUInt16BE(2);
  if (flags & QR) throw new MalformedQuery('QR is set: a response, not a query');
  const qd = buf.readUInt16BE(4);
  if (qd !== 1) throw new MalformedQuery(`${qd} questions; a query has exactly one`);
  const [name, qEnd] = readQuestionName(buf);
  if (qEnd + 4 > buf.length) throw new MalformedQuery('question runs past the end');
  const question = { name, type: types.toString(buf.readUInt16BE(qEnd)), class: classes.toString(buf.readUInt16BE(qEnd + 2)) };
  let off = qEnd + 4;
  const skip = buf.readUInt16BE(6) + buf.readUInt16BE(8);
  for (let i = 0; i < skip; i++) off = skipRecord(buf, off);
  let edns: EdnsInfo | null = null;
  const ar = buf.readUInt16BE(10);
  for (let i = 0; i < ar; i++) {
    const [, after] = readName(buf, off);
    if (after + 10 > buf.length) throw new MalformedQuery(`additional record at byte ${off} runs past the end`);
    const rdEnd = after + 10 + buf.readUInt16BE(after + 8);
    if (rdEnd > buf.length) throw new MalformedQuery(`additional record data at byte ${after + 10} runs past the end`);
    if (buf.readUInt16BE(after) === OPT_TYPE) {
      if (edns) throw new MalformedQuery('more than one OPT record');
      edns = readOpt(buf, after, rdEnd);
    }
    off = rdEnd;
  }
  return {
    id: buf.readUInt16BE(0),
    flags,
    opcode: (flags >> 11) & 0xf,
    question,
    packet: buf,
    questionEnd: qEnd + 4,
    edns,
  };
}
