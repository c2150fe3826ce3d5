import type { CellResult } from './model.js';

/** Per server, how many queries came over each transport for each type: `udp A=2 AAAA=2`. */
export type WireShape = string[];

export function wireShape(c: CellResult): WireShape {
  return c.queries.map((qs) => {
    const counts = new Map<string, number>();
    for (const q of qs) {
      const key = `${q.transport} ${q.malformed ? 'malformed' : (q.qtype ?? '?')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (counts.size === 0) return '-';
    const byTransport = new Map<string, string[]>();
    for (const [key, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      const [transport, type] = key.split(' ') as [string, string];
      byTransport.set(transport, [...(byTransport.get(transport) ?? []), `${type}=${n}`]);
    }
    return [...byTransport].map(([transport, types]) => `${transport} ${types.join(' ')}`).join(', ');
  });
}

/**
 * The part of a cell's wire shape that must be the same in two runs of it. All of it, with one
 * tolerance: behind the real systemd-resolved the fake servers are its upstreams, and how often it
 * asks them depends on its own retry timers racing the client's retries, so a real-stub cell keeps
 * the transports and types each upstream saw but not their counts (measured: 9 of 3,744 cells
 * differed in count alone between two default runs).
 */
export function wireKey(c: CellResult): string {
  const shape = wireShape(c);
  return (c.axes.stub === 'real' ? shape.map((s) => s.replace(/=\d+/g, '')) : shape).join(' | ');
}

export const wireAgrees = (a: CellResult, b: CellResult): boolean => wireKey(a) === wireKey(b);
