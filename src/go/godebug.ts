import type { NetdnsMode } from '../results/model.js';
export type { NetdnsMode } from '../results/model.js';

/**
 * The GODEBUG value for a cell: the requested netdns mode with the resolver trace (debug level 2)
 * added, then any extra settings (netedns0=0, ...). `netdns=2` keeps Go's own choice.
 */
export function godebugFor(mode: NetdnsMode, extra: string[] = []): string {
  const netdns = mode === 'default' ? 'netdns=2' : `netdns=${mode}+2`;
  return [netdns, ...extra.filter((e) => e.trim() !== '')].join(',');
}
