import { cellOverlap, paceWord } from './wire-check.js';
import type { CellResult } from './model.js';

/**
 * Per server, how many queries came over each transport for each type, and where the server held
 * its replies back, whether they came at once or in turn: `udp A=2 AAAA=2, in turn`.
 */
export type WireShape = string[];

export function wireShape(c: CellResult): WireShape {
  return c.queries.map((qs) => {
    const overlap = cellOverlap(c.axes.stub, qs);
    const pace = overlap === undefined ? '' : `, ${paceWord(overlap)}`;
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
    return `${[...byTransport].map(([transport, types]) => `${transport} ${types.join(' ')}`).join(', ')}${pace}`;
  });
}

/**
 * The part of a cell's wire shape that must be the same in two runs of it. All of it, with two
 * tolerances, each for a race that is real:
 * - Go sends A and AAAA in parallel, and which reaches the server first is the scheduler's call; a
 *   server that treats the first of a pair differently (swapped-replies) makes the other one be
 *   asked again. So A and AAAA may trade counts (A=2 AAAA=1 against A=1 AAAA=2; measured: 19 and
 *   13 of 72 swapped-replies cells in two pairs of default runs).
 * - Behind the real systemd-resolved the fake servers are its upstreams, and how often it asks
 *   them follows its own retry timers racing the client's tries; a real-stub cell keeps the
 *   transports and types each upstream saw but not their counts (measured: 11 of 576 real-stub
 *   cells differed in count alone between two default runs, with a fresh resolved per cell).
 */
export function wireKey(c: CellResult): string {
  const shape = wireShape(c).map((s) => s.replace(/\bA=(\d+) AAAA=(\d+)/g, (_, a: string, b: string) => `A|AAAA=${[Number(a), Number(b)].sort((x, y) => x - y).join('|')}`));
  return (c.axes.stub === 'real' ? shape.map((s) => s.replace(/=[\d|]+/g, '')) : shape).join(' | ');
}

export const wireAgrees = (a: CellResult, b: CellResult): boolean => wireKey(a) === wireKey(b);
