/**
 * Go's resolver trace (GODEBUG netdns=...+2) from a program's stderr. Go prints lines starting
 * with "go package net:"; the wording differs between versions (1.24 rewrote it), so the mode
 * line is matched by meaning and all raw lines are kept.
 */

export type DeclaredMode = 'go' | 'cgo' | 'dynamic' | 'unknown';
import type { DeclaredPath } from '../results/model.js';
export type { DeclaredPath } from '../results/model.js';

export interface HostOrder {
  name: string;
  /** As printed: cgo, files,dns, dns,files, files, dns, ... */
  order: string;
  path: DeclaredPath;
}

export interface ResolverTrace {
  mode: DeclaredMode;
  modeLine: string | null;
  /** confVal.netCgo / netGo as printed (what the build and GODEBUG asked for). */
  conf: { netCgo: boolean; netGo: boolean } | null;
  orders: HostOrder[];
  /** Every "go package net:" line, prefix removed, in order. */
  raw: string[];
}

const PREFIX = 'go package net: ';

const MODE_PATTERNS: Array<[RegExp, DeclaredMode]> = [
  [/ignoring GODEBUG=netdns=cgo/, 'go'],
  [/dynamic selection of DNS resolver/, 'dynamic'],
  [/(using|use of) (the )?cgo (DNS )?resolver/i, 'cgo'],
  [/(using|use of) (the )?Go('s)? (DNS )?resolver/i, 'go'],
];

export function classifyModeLine(line: string): DeclaredMode | null {
  for (const [re, mode] of MODE_PATTERNS) if (re.test(line)) return mode;
  return null;
}

export function parseTrace(stderr: string): ResolverTrace {
  const t: ResolverTrace = { mode: 'unknown', modeLine: null, conf: null, orders: [], raw: [] };
  for (const full of stderr.split('\n')) {
    const i = full.indexOf(PREFIX);
    if (i < 0) continue;
    const line = full.slice(i + PREFIX.length).trim();
    t.raw.push(line);
    const conf = /confVal\.netCgo = (true|false)\s+netGo = (true|false)/.exec(line);
    if (conf) {
      t.conf = { netCgo: conf[1] === 'true', netGo: conf[2] === 'true' };
      continue;
    }
    const order = /^hostLookupOrder\((.*)\) = (\S+)$/.exec(line);
    if (order) {
      const o = order[2] as string;
      t.orders.push({ name: order[1] as string, order: o, path: o === 'cgo' ? 'cgo' : 'go' });
      continue;
    }
    const mode = classifyModeLine(line);
    if (mode && t.modeLine === null) {
      t.mode = mode;
      t.modeLine = line;
    }
  }
  return t;
}

/**
 * The path Go says it took for `name`: its hostLookupOrder line when there is one (cgo, or an
 * order of files and dns served by Go's resolver), else the mode when that is not dynamic.
 */
export function declaredPath(trace: ResolverTrace, name?: string): DeclaredPath {
  const norm = (s: string) => s.toLowerCase().replace(/\.$/, '');
  const order = name === undefined ? trace.orders[0] : trace.orders.find((o) => norm(o.name) === norm(name));
  if (order) return order.path;
  if (trace.mode === 'go' || trace.mode === 'cgo') return trace.mode;
  return 'unknown';
}
