// The records are the result model's (a cell's wire is part of its result); the log produces them.
import type { EdnsInfo, QueryRecord, ResponseInfo } from '../results/model.js';
export type { EdnsInfo, QueryRecord, ResponseInfo } from '../results/model.js';

export type QueryListener = (record: QueryRecord) => void;

/**
 * The server's query log. It keeps the newest `limit` records, so a long fuzz run or a busy
 * benchmark cannot grow memory without bound; `dropped` says how many older ones were let go.
 *
 * Records are stored column by column in a ring (typed arrays for numbers and flags, shared
 * strings for names) and turned back into objects only when read. Keeping a hundred thousand
 * small objects alive made every garbage collection copy them, which cost a fifth of the
 * server's throughput; columns cost nothing to keep.
 */
export class QueryLog {
  private cap = 0;
  private head = 0; // slot of the oldest record kept
  private kept = 0;
  private total = 0;
  private listeners = new Set<QueryListener>();
  // Numbers.
  private time = new Float64Array(0);
  private sentAt = new Float64Array(0);
  private ints = new Int32Array(0); // INTS per record, see the I_* offsets
  private bytes = new Uint8Array(0); // BYTES per record, see the B_* offsets
  // References; mostly shared constants or interned strings.
  private refs: unknown[] = [];
  // The last client address and name stored: consecutive queries mostly share them, so one copy
  // is kept and the new, equal strings die young.
  private lastClient = '';
  private lastQname = '';

  constructor(private readonly limit: number) {}

  get dropped(): number {
    return this.total - this.kept;
  }

  /**
   * Logs a record. `responseId`, when given, is the ID the reply went out with, and replaces the
   * one in `record.response`, which may be a shared template (the reply cache's, with ID 0).
   */
  add(record: QueryRecord, responseId?: number): void {
    this.total++;
    if (this.limit > 0) this.store(record, responseId);
    if (this.listeners.size === 0) return;
    if (responseId !== undefined && record.response) record.response = { ...record.response, id: responseId };
    for (const l of this.listeners) l(record);
  }

  /** Notes when the reply to query `seq` left the server (after any delay). */
  markSent(seq: number, at: number): void {
    const slot = this.slotOf(seq);
    if (slot >= 0) this.sentAt[slot] = at;
  }

  nextSeq(): number {
    return this.total + 1;
  }

  /** The records kept, oldest first; with `afterCount`, only those logged after the log held that many. */
  entries(afterCount = 0): QueryRecord[] {
    const skip = Math.max(0, afterCount - (this.total - this.kept));
    const out: QueryRecord[] = [];
    for (let i = skip; i < this.kept; i++) out.push(this.read((this.head + i) % this.cap));
    return out;
  }

  get size(): number {
    return this.kept;
  }

  /** All records ever added, kept or not. */
  get count(): number {
    return this.total;
  }

  clear(): void {
    this.head = 0;
    this.kept = 0;
    // The count goes on, so sequence numbers stay unique.
    this.refs.fill(undefined);
  }

  /** Calls `listener` for every new record; returns the function that stops it. */
  subscribe(listener: QueryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private slotOf(seq: number): number {
    const index = seq - 1 - (this.total - this.kept);
    return index >= 0 && index < this.kept ? (this.head + index) % this.cap : -1;
  }

  private grow(): void {
    // Start small and double up to the limit, so a server that sees ten queries holds ten slots.
    const cap = Math.min(this.limit, Math.max(64, this.cap * 2));
    const order = (i: number): number => (this.head + i) % this.cap;
    const time = new Float64Array(cap);
    const sentAt = new Float64Array(cap);
    const ints = new Int32Array(cap * INTS);
    const bytes = new Uint8Array(cap * BYTES);
    const refs = new Array<unknown>(cap * REFS).fill(undefined);
    for (let i = 0; i < this.kept; i++) {
      const s = order(i);
      time[i] = this.time[s] as number;
      sentAt[i] = this.sentAt[s] as number;
      ints.set(this.ints.subarray(s * INTS, s * INTS + INTS), i * INTS);
      bytes.set(this.bytes.subarray(s * BYTES, s * BYTES + BYTES), i * BYTES);
      for (let r = 0; r < REFS; r++) refs[i * REFS + r] = this.refs[s * REFS + r];
    }
    Object.assign(this, { cap, head: 0, time, sentAt, ints, bytes, refs });
  }

  private store(q: QueryRecord, responseId: number | undefined): void {
    if (this.kept === this.cap && this.cap < this.limit) this.grow();
    let slot: number;
    if (this.kept < this.cap) slot = (this.head + this.kept++) % this.cap;
    else {
      slot = this.head;
      this.head = (this.head + 1) % this.cap;
    }
    const r = q.response;
    const e = q.edns;
    this.time[slot] = q.time;
    this.sentAt[slot] = r?.sentAt ?? NaN;
    const i = slot * INTS;
    const ints = this.ints;
    ints[i + I_SEQ] = q.seq;
    ints[i + I_LENGTH] = q.length;
    ints[i + I_ID] = q.id ?? -1;
    ints[i + I_NTH] = q.nth ?? -1;
    ints[i + I_RULE] = q.rule;
    ints[i + I_DELAY] = q.delayMs;
    ints[i + I_CONNECTION] = q.connection ?? -1;
    ints[i + I_CLIENT_PORT] = q.client.port;
    ints[i + I_GARBAGE] = q.garbageBytes ?? -1;
    ints[i + I_EDNS_SIZE] = e ? e.udpSize : -1;
    ints[i + I_R_ID] = r ? (responseId ?? r.id) : -1;
    ints[i + I_R_LENGTH] = r ? r.length : -1;
    ints[i + I_R_COUNTS] = r ? (r.questions << 16) | r.answers : 0;
    ints[i + I_R_COUNTS2] = r ? (r.authorities << 16) | r.additionals : 0;
    const b = slot * BYTES;
    const bytes = this.bytes;
    bytes[b + B_TRANSPORT] = q.transport === 'tcp' ? 1 : 0;
    bytes[b + B_QFLAGS] = q.flags ? (q.flags.rd ? 4 : 0) | (q.flags.ad ? 2 : 0) | (q.flags.cd ? 1 : 0) : 0;
    bytes[b + B_EDNS] = e ? 1 | (e.do ? 2 : 0) : 0;
    bytes[b + B_EDNS_VERSION] = e ? e.version : 0;
    bytes[b + B_R_FLAGS] = r ? packResponseFlags(r.flags) : 0;
    bytes[b + B_R_OPT] = r ? OPT_PLACES.indexOf(r.opt) : 0;
    const f = slot * REFS;
    const refs = this.refs;
    const client = q.client.address;
    if (client !== this.lastClient) this.lastClient = client;
    refs[f + R_CLIENT_ADDRESS] = this.lastClient;
    refs[f + R_SERVER] = q.server;
    const qname = q.qname;
    if (qname !== undefined && qname !== this.lastQname) this.lastQname = qname;
    refs[f + R_QNAME] = qname === undefined ? undefined : this.lastQname;
    refs[f + R_QTYPE] = q.qtype;
    refs[f + R_QCLASS] = q.qclass;
    refs[f + R_OPCODE] = q.opcode;
    refs[f + R_ACTION] = q.action;
    refs[f + R_MATCHED] = q.matched;
    refs[f + R_EDNS_OPTIONS] = e && e.options.length > 0 ? e.options : undefined;
    refs[f + R_MALFORMED] = q.malformed;
    refs[f + R_RCODE] = r?.rcode;
  }

  private read(slot: number): QueryRecord {
    const i = slot * INTS;
    const b = slot * BYTES;
    const f = slot * REFS;
    const ints = this.ints;
    const bytes = this.bytes;
    const refs = this.refs;
    const record: QueryRecord = {
      seq: ints[i + I_SEQ] as number,
      time: this.time[slot] as number,
      transport: bytes[b + B_TRANSPORT] === 1 ? 'tcp' : 'udp',
      client: { address: refs[f + R_CLIENT_ADDRESS] as string, port: ints[i + I_CLIENT_PORT] as number },
      server: refs[f + R_SERVER] as QueryRecord['server'],
      length: ints[i + I_LENGTH] as number,
      rule: ints[i + I_RULE] as number,
      action: refs[f + R_ACTION] as string,
      matched: [...(refs[f + R_MATCHED] as number[])],
      delayMs: ints[i + I_DELAY] as number,
      response: null,
    };
    const connection = ints[i + I_CONNECTION] as number;
    if (connection >= 0) record.connection = connection;
    const malformed = refs[f + R_MALFORMED] as string | undefined;
    if (malformed !== undefined) record.malformed = malformed;
    else {
      const qf = bytes[b + B_QFLAGS] as number;
      record.id = ints[i + I_ID] as number;
      record.opcode = refs[f + R_OPCODE] as string;
      record.flags = { rd: (qf & 4) !== 0, ad: (qf & 2) !== 0, cd: (qf & 1) !== 0 };
      record.qname = refs[f + R_QNAME] as string;
      record.qtype = refs[f + R_QTYPE] as string;
      record.qclass = refs[f + R_QCLASS] as string;
      const ednsBits = bytes[b + B_EDNS] as number;
      record.edns =
        ednsBits === 0
          ? null
          : {
              udpSize: ints[i + I_EDNS_SIZE] as number,
              version: bytes[b + B_EDNS_VERSION] as number,
              do: (ednsBits & 2) !== 0,
              options: ((refs[f + R_EDNS_OPTIONS] as EdnsInfo['options'] | undefined) ?? []).map((o) => ({ ...o })),
            };
      record.nth = ints[i + I_NTH] as number;
    }
    const rcode = refs[f + R_RCODE] as string | undefined;
    if (rcode !== undefined) {
      const counts = ints[i + I_R_COUNTS] as number;
      const counts2 = ints[i + I_R_COUNTS2] as number;
      const response: ResponseInfo = {
        id: ints[i + I_R_ID] as number,
        rcode,
        flags: unpackResponseFlags(bytes[b + B_R_FLAGS] as number),
        questions: counts >>> 16,
        answers: counts & 0xffff,
        authorities: counts2 >>> 16,
        additionals: counts2 & 0xffff,
        opt: OPT_PLACES[bytes[b + B_R_OPT] as number] as ResponseInfo['opt'],
        length: ints[i + I_R_LENGTH] as number,
      };
      const sent = this.sentAt[slot] as number;
      if (!Number.isNaN(sent)) response.sentAt = sent;
      record.response = response;
    }
    const garbage = ints[i + I_GARBAGE] as number;
    if (garbage >= 0) record.garbageBytes = garbage;
    return record;
  }
}

const [I_SEQ, I_LENGTH, I_ID, I_NTH, I_RULE, I_DELAY, I_CONNECTION, I_CLIENT_PORT, I_GARBAGE, I_EDNS_SIZE, I_R_ID, I_R_LENGTH, I_R_COUNTS, I_R_COUNTS2, INTS] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
] as const;
const [B_TRANSPORT, B_QFLAGS, B_EDNS, B_EDNS_VERSION, B_R_FLAGS, B_R_OPT, BYTES] = [0, 1, 2, 3, 4, 5, 6] as const;
const [R_CLIENT_ADDRESS, R_SERVER, R_QNAME, R_QTYPE, R_QCLASS, R_OPCODE, R_ACTION, R_MATCHED, R_EDNS_OPTIONS, R_MALFORMED, R_RCODE, REFS] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
] as const;
const OPT_PLACES: ResponseInfo['opt'][] = ['none', 'additional', 'answer'];

function packResponseFlags(flags: ResponseInfo['flags']): number {
  return (flags.aa ? 1 : 0) | (flags.tc ? 2 : 0) | (flags.rd ? 4 : 0) | (flags.ra ? 8 : 0) | (flags.ad ? 16 : 0) | (flags.cd ? 32 : 0);
}

function unpackResponseFlags(bits: number): ResponseInfo['flags'] {
  return { aa: (bits & 1) !== 0, tc: (bits & 2) !== 0, rd: (bits & 4) !== 0, ra: (bits & 8) !== 0, ad: (bits & 16) !== 0, cd: (bits & 32) !== 0 };
}
