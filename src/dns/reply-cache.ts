import type { ResponseInfo } from './query-log.js';

/** A finished reply with its ID zeroed, ready to be copied and stamped with a query's ID. */
export interface CachedReply {
  bytes: Buffer;
  info: ResponseInfo;
}

interface Entry extends CachedReply {
  type: string;
  klass: string;
  variant: number;
}

/**
 * Replies are a pure function of the query's name (as sent), type, class, opcode, flags, EDNS
 * size and DO bit, the transport and the rules' decision; the zone never changes while a server
 * runs. Caching them takes packet encoding off the hot path. Entries are found by the name, then
 * by type, class and one number packing the rest (`variant`), so no key string is built per
 * packet. Bounded: it is cleared when full, which is cheap and keeps fuzzing from growing it.
 */
export class ReplyCache {
  private readonly byName = new Map<string, Entry[]>();
  private entries = 0;

  constructor(private readonly limit = 4096) {}

  get(name: string, type: string, klass: string, variant: number): CachedReply | undefined {
    const list = this.byName.get(name);
    if (list === undefined) return undefined;
    for (const e of list) if (e.variant === variant && e.type === type && e.klass === klass) return e;
    return undefined;
  }

  set(name: string, type: string, klass: string, variant: number, bytes: Buffer, info: ResponseInfo): void {
    if (this.entries >= this.limit) {
      this.byName.clear();
      this.entries = 0;
    }
    const copy = Buffer.from(bytes);
    copy.writeUInt16BE(0, 0);
    let list = this.byName.get(name);
    if (list === undefined) this.byName.set(name, (list = []));
    list.push({ bytes: copy, info, type, klass, variant });
    this.entries++;
  }

  /** A copy of the cached reply carrying `id`. */
  static stamp(cached: CachedReply, id: number): Buffer {
    const out = Buffer.allocUnsafe(cached.bytes.length);
    cached.bytes.copy(out);
    out.writeUInt16BE(id, 0);
    return out;
  }
}
