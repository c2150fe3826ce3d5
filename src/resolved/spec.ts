import { z } from 'zod';
import { ruleSchema, type FakeDnsOptions, type ResolvedFakeDnsOptions } from '../dns/options-schema.js';
import { parseListen } from '../dns/listen.js';

/**
 * What stands on 127.0.0.53 in a cell of a scenario with a `resolved` server:
 * - real: systemd-resolved itself, forwarding to the scenario's fake servers;
 * - emulated: a fake server with the scenario's `emulation` rules, our model of what the real
 *   stub does in front of that upstream;
 * - passthrough: a fake server that shows the upstream's own behaviour to the client, as if the
 *   stub passed faults straight through (what a naive emulation does).
 */
import type { StubMode } from '../results/model.js';
export { STUB_MODES, type StubMode } from '../results/model.js';
export const DEFAULT_STUB_MODES: StubMode[] = ['real', 'emulated'];

const confValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

export const resolvedServerSchema = z.strictObject({
  kind: z.literal('resolved'),
  /**
   * resolved.conf [Resolve] options (DNSSEC, Cache, DNSStubListenerExtra, ...); a list writes the
   * option once per value. DNS defaults to the scenario's other servers (their UDP addresses).
   */
  conf: z.record(z.string().regex(/^[A-Z][A-Za-z]+$/, 'a resolved.conf option name like DNSSEC or Cache'), confValue).default({}),
  /** Bind the archive's libnss_resolve.so.2 into the library directory, for `hosts: ... resolve ...`. */
  nss: z.boolean().default(false),
  /**
   * How the fake stub stands in for systemd-resolved in `emulated` cells: rules applied to queries
   * for the upstreams' records (the records themselves are the upstreams'). Without it the
   * scenario has no emulated cells.
   */
  emulation: z
    .strictObject({
      rules: z.array(ruleSchema).default([]),
      /** What the emulated stub advertises in its OPT; systemd-resolved's stub says 65494. */
      ednsUdpSize: z.number().int().min(512).max(65535).default(65494),
      /** Why the emulation does what it does: the measurement behind it. */
      why: z.string().optional(),
    })
    .optional(),
});

export type ResolvedServer = z.output<typeof resolvedServerSchema>;

const STUB_ADDRS = ['127.0.0.53', '127.0.0.54'];

/** resolved.conf's DNS= entries for the fake servers: each server's first UDP address. */
export function upstreamsOf(servers: Array<Pick<ResolvedFakeDnsOptions, 'listen'>>): string[] {
  const out: string[] = [];
  for (const s of servers) {
    const udp = s.listen.map((l) => parseListen(l)).find((a) => a.transport === 'udp' && !STUB_ADDRS.includes(a.host));
    if (!udp) continue;
    const host = udp.family === 6 ? `[${udp.host}]` : udp.host;
    out.push(udp.port === 53 && udp.family === 4 ? udp.host : `${host}:${udp.port}`);
  }
  return out;
}

/** Whether the stub listener on 127.0.0.53 is on (it is unless DNSStubListener=no). */
export function stubListenerOn(r: ResolvedServer): boolean {
  const v = r.conf.DNSStubListener;
  return !(v === false || (typeof v === 'string' && /^(no|false|0|off)$/i.test(v)));
}

/**
 * The drop-in resolved.conf for a scenario: no LLMNR or mDNS (they would probe the sandbox's veth
 * link and add queries nobody asked for), no fallback servers (nothing may leave the sandbox), the
 * scenario's fake servers as DNS=, then the scenario's own options, which win.
 */
export function resolvedConfText(r: ResolvedServer, upstreams: string[]): string {
  const opts: Record<string, string | number | boolean | string[]> = { DNS: upstreams.join(' '), FallbackDNS: '', LLMNR: 'no', MulticastDNS: 'no', ...r.conf };
  const lines = ['# written by go-dns-harness for this sandbox', '[Resolve]'];
  const text = (v: string | number | boolean) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
  for (const [k, v] of Object.entries(opts)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}=${text(one)}`);
  return `${lines.join('\n')}\n`;
}

/** The fake server that stands on 127.0.0.53 and 127.0.0.54 in emulated and passthrough cells. */
export function stubStandIn(r: ResolvedServer, upstreams: ResolvedFakeDnsOptions[], mode: Exclude<StubMode, 'real'>): FakeDnsOptions {
  const records = Object.assign({}, ...upstreams.map((u) => u.records)) as ResolvedFakeDnsOptions['records'];
  const listen = STUB_ADDRS.flatMap((a) => [`${a}:53/udp`, `${a}:53/tcp`]);
  if (mode === 'emulated') return { listen, records, rules: r.emulation?.rules ?? [], ednsUdpSize: r.emulation?.ednsUdpSize ?? 65494 };
  const first = upstreams[0];
  return { listen, records, rules: first?.rules ?? [], ednsUdpSize: first?.ednsUdpSize ?? 65494, authenticData: first?.authenticData ?? false };
}

/** The stub modes a scenario's cells take, of those asked for. */
export function stubModesFor(r: ResolvedServer | undefined, asked: StubMode[]): Array<StubMode | undefined> {
  if (!r) return [undefined];
  return asked.filter((m) => m !== 'emulated' || r.emulation !== undefined);
}
