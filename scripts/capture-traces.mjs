// Captures Go's resolver trace (stderr) and the wire evidence for every installed toolchain, cgo
// setting and netdns mode, for test/fixtures/traces. Dev-only: needs the toolchains in the cache
// (go-dns-harness toolchains fetch 1.19 1.21 ... 1.27) and root or user namespaces.
// Usage: npm run build && node scripts/capture-traces.mjs
import { writeFileSync } from 'node:fs';
import { DEFAULT_GO_MOD, Sandbox, buildProbe, discoverToolchains } from '../dist/index.js';

const out = new URL('../test/fixtures/traces/', import.meta.url).pathname;
const resolvConfs = {
  stub: 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n',
  plain: 'nameserver 127.0.0.53\n',
};
const toolchains = (await discoverToolchains()).filter((t) => t.source === 'cache');
const captures = [];
for (const [rcName, rc] of Object.entries(resolvConfs)) {
  const sb = await Sandbox.open({
    files: { 'resolv.conf': rc, 'nsswitch.conf': 'hosts: files dns\n', hosts: '127.0.0.1 localhost\n' },
    servers: [{ listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: { 'app.example.test': { A: '192.0.2.10', AAAA: '2001:db8::10' } } }],
  });
  for (const tc of toolchains) {
    for (const cgo of ['0', '1']) {
      const probe = await buildProbe({ toolchain: tc, cgo, tags: [], goModGo: DEFAULT_GO_MOD });
      for (const netdns of ['2', 'go+2', 'cgo+2']) {
        const r = await sb.run(probe.path, ['-timeout', '3s', 'host', 'app.example.test'], { env: { PATH: process.env.PATH, GODEBUG: `netdns=${netdns}` } });
        const q = r.queries[0];
        captures.push({
          go: tc.version, cgo, netdns, resolvConf: rcName,
          stderr: r.stderr,
          ok: JSON.parse(r.stdout).lookups[0].ok,
          // Wire evidence: glibc asks A and AAAA from one socket, Go's resolver from one socket each.
          queries: q.map((x) => ({ qtype: x.qtype, transport: x.transport, port: x.client.port, edns: x.edns ? x.edns.udpSize : null })),
        });
        console.log(tc.version, cgo, netdns, rcName, q.length, 'queries');
      }
    }
  }
  await sb.close();
}
writeFileSync(`${out}/captures.json`, `${JSON.stringify({ capturedOn: new Date().toISOString().slice(0, 10), captures }, null, 1)}\n`);
