import type { Test } from 'tap';
import { startFakeDns, type FakeDnsServer, type FakeDnsOptions } from '../../src/index.js';

export const RECORDS = {
  'example.test': { SOA: { mname: 'ns.example.test', rname: 'hostmaster.example.test', minimum: 30 }, NS: 'ns.example.test' },
  'app.example.test': { A: '192.0.2.10', AAAA: '2001:db8::10', MX: { preference: 10, exchange: 'mail.example.test' } },
  'www.example.test': { CNAME: 'alias.example.test' },
  'alias.example.test': { CNAME: 'app.example.test' },
} as const;

/** A fake server on loopback, UDP and TCP on one free port, closed when the test ends. */
export async function serve(t: Test, extra: Partial<FakeDnsOptions> = {}): Promise<FakeDnsServer & { target: { host: string; port: number } }> {
  const server = await startFakeDns({ listen: ['127.0.0.1:0/udp', '127.0.0.1:0/tcp'], records: RECORDS, ...extra });
  t.teardown(() => server.close());
  const a = server.address('udp');
  return Object.assign(server, { target: { host: a.host, port: a.port } });
}
