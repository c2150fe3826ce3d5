import type { ResponseInfo } from './query-log.js';

/** A finished reply with its ID zeroed, ready to be copied and stamped with a query's ID. */
export interface CachedReply {
  bytes: Buffer;
  info: ResponseInfo;
}

/**
 * Replies are a pure function of the query's name (as sent), type, class, opcode, flags, EDNS
 * size and DO bit, the transport and the rules' decision; the zone never changes while a server
 * runs. Caching them by that key takes packet encoding off the hot path. Bounded: it is cleared
 * when full, which is cheap and keeps fuzzing from growing it.
 */
export class ReplyCache {
  private readonly map = new Map<string, CachedReply>();

  constructor(private readonly limit = 4096) {}

  get(key: string): CachedReply | undefined {
    return this.map.get(key);
  }

  set(key: string, bytes: Buffer, info: ResponseInfo): void {
    if (this.map.size >= this.limit) this.map.clear();
    const copy = Buffer.from(bytes);
    copy.writeUInt16BE(0, 0);
    this.map.set(key, { bytes: copy, info });
  }

  /** A copy of the cached reply carrying `id`. */
  static stamp(cached: CachedReply, id: number): Buffer {
    const out = Buffer.allocUnsafe(cached.bytes.length);
    cached.bytes.copy(out);
    out.writeUInt16BE(id, 0);
    return out;
  }
}
