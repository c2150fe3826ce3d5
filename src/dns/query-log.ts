import type { Transport } from './listen.js';

export interface EdnsInfo {
  udpSize: number;
  version: number;
  do: boolean;
  /** EDNS options as sent: code and hex data. */
  options: Array<{ code: number; data: string }>;
}

export interface ResponseInfo {
  id: number;
  rcode: string;
  flags: { aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean };
  questions: number;
  answers: number;
  authorities: number;
  additionals: number;
  /** Whether the reply carried an OPT record, and where (`answer` for the opt-in-answer fault). */
  opt: 'none' | 'additional' | 'answer';
  length: number;
  /** Set when the bytes left the server (after any delay); unset if the server closed first. */
  sentAt?: number;
}

/** One query as the fake server saw it, and what it did about it. */
export interface QueryRecord {
  /** 1-based, per server. */
  seq: number;
  /** Milliseconds since the server started (monotonic). */
  time: number;
  transport: Transport;
  client: { address: string; port: number };
  server: { address: string; port: number };
  /** TCP only: the connection's number, so pipelined queries on one connection can be told apart. */
  connection?: number;
  length: number;
  /** Why the packet could not be read as a query; the other query fields are then absent. */
  malformed?: string;
  id?: number;
  opcode?: string;
  flags?: { rd: boolean; ad: boolean; cd: boolean };
  /** Exactly as sent, case kept (0x20 randomisation shows here). */
  qname?: string;
  qtype?: string;
  qclass?: string;
  edns?: EdnsInfo | null;
  /** The how-manieth query for this name at this server. */
  nth?: number;
  /** Index of the rule that decided, -1 for the default answer. */
  rule: number;
  action: string;
  /** Every rule that matched, modifiers included. */
  matched: number[];
  delayMs: number;
  /** What was sent back; null when nothing was (drop, tcp-close). */
  response: ResponseInfo | null;
  /** Set for the garbage fault, whose reply is not a DNS message. */
  garbageBytes?: number;
}

export type QueryListener = (record: QueryRecord) => void;

/**
 * The server's query log. It keeps the newest `limit` records, so a long fuzz run or a busy
 * benchmark cannot grow memory without bound; `dropped` says how many older ones were let go.
 */
export class QueryLog {
  private records: QueryRecord[] = [];
  private listeners = new Set<QueryListener>();
  private total = 0;
  dropped = 0;

  constructor(private readonly limit: number) {}

  add(record: QueryRecord): void {
    this.total++;
    if (this.limit > 0) {
      if (this.records.length >= this.limit) {
        // Drop a quarter at once so the cost of trimming stays amortised O(1) per record.
        const n = Math.max(1, this.records.length - this.limit + Math.ceil(this.limit / 4));
        this.records.splice(0, n);
        this.dropped += n;
      }
      this.records.push(record);
    } else {
      this.dropped++;
    }
    for (const l of this.listeners) l(record);
  }

  nextSeq(): number {
    return this.total + 1;
  }

  /** A copy of the records kept, oldest first. */
  entries(): QueryRecord[] {
    return this.records.slice();
  }

  get size(): number {
    return this.records.length;
  }

  /** All records ever added, kept or not. */
  get count(): number {
    return this.total;
  }

  clear(): void {
    this.records = [];
  }

  /** Calls `listener` for every new record; returns the function that stops it. */
  subscribe(listener: QueryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
