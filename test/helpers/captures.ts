/** The trace captures in test/fixtures/traces (see scripts/capture-traces.mjs). */
import { readFileSync } from 'node:fs';

export interface Capture {
  go: string;
  cgo: string;
  netdns: string;
  resolvConf: string;
  stderr: string;
  ok: boolean;
  queries: Array<{ qtype: string; transport: 'udp' | 'tcp'; port: number; edns: number | null }>;
}

export const captures: Capture[] = (JSON.parse(readFileSync(new URL('../fixtures/traces/captures.json', import.meta.url), 'utf8')) as { captures: Capture[] }).captures;
