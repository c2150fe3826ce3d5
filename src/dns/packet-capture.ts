import type { CapturedPacket } from '../pcap/write.js';

/**
 * The raw messages in and out of a server, for writing pcap files when tcpdump is not at hand.
 * Bounded like the query log: it keeps the newest `limit` packets and counts the rest.
 */
export class PacketCapture {
  private packets: CapturedPacket[] = [];
  private total = 0;

  constructor(private readonly limit: number) {}

  add(p: CapturedPacket): void {
    this.total++;
    this.packets.push(p);
    if (this.packets.length > this.limit) this.packets.splice(0, this.packets.length - this.limit);
  }

  /** Every packet ever added, kept or not. */
  get count(): number {
    return this.total;
  }

  /** The packets kept that came after the capture held `afterCount`, oldest first. */
  since(afterCount = 0): CapturedPacket[] {
    const skip = Math.max(0, afterCount - (this.total - this.packets.length));
    return this.packets.slice(skip);
  }
}
