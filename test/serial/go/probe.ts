/** The Go probe itself: every lookup kind, the error classes, its arguments, and its source's hygiene. */
import { execa } from 'execa';
import t from 'tap';
import { Sandbox, baseEnv, goEnvFor } from '../../../src/index.js';
import { oldestAndNewest, probeFor, type ProbeOutput } from '../../helpers/go.js';

const PROBE_DIR = new URL('../../../go-probe', import.meta.url).pathname;

t.test('every lookup kind, with cgo off and on', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const sb = await Sandbox.open({
    files: { 'resolv.conf': 'nameserver 127.0.0.53\noptions timeout:1 attempts:1\n', 'nsswitch.conf': 'hosts: files dns\n', hosts: '127.0.0.1 localhost\n' },
    servers: [{
      listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'],
      records: {
        'example.test': { NS: 'ns1.example.test', MX: { preference: 10, exchange: 'mx.example.test' }, TXT: 'v=spf1 -all' },
        'app.example.test': { A: '192.0.2.10', AAAA: '2001:db8::10' },
        'www.example.test': { CNAME: 'app.example.test' },
        '_sip._tcp.example.test': { SRV: { priority: 1, weight: 5, port: 5060, target: 'sip.example.test' } },
        '192.0.2.10': { PTR: 'app.example.test' },
      },
      rules: [{ match: { qname: 'slow.example.test' }, action: 'drop' }],
    }],
  });
  t.teardown(() => sb.close());
  for (const tc of tcs) {
    for (const cgo of ['0', '1'] as const) {
      const probe = await probeFor(t, tc, cgo);
      const args = ['-timeout', '3s', 'host', 'app.example.test', 'ip4', 'app.example.test', 'ip6', 'app.example.test', 'addr', '192.0.2.10', 'cname', 'www.example.test',
        'mx', 'example.test', 'srv', '_sip._tcp.example.test', 'txt', 'example.test', 'ns', 'example.test', 'host', 'nope.example.test', 'host', 'slow.example.test'];
      const r = await sb.run(probe.path, args, { env: { ...baseEnv(), GODEBUG: 'netdns=cgo' } });
      const out = JSON.parse(r.stdout) as ProbeOutput & { lookups: Array<{ records?: unknown }> };
      const L = out.lookups;
      const label = `${tc.version} CGO_ENABLED=${cgo}`;
      t.equal(L.length, 11, label);
      t.same(L[0]?.addrs?.sort(), ['192.0.2.10', '2001:db8::10'], `${label} host`);
      t.same(L[1]?.addrs, ['192.0.2.10'], `${label} ip4`);
      t.same(L[2]?.addrs, ['2001:db8::10'], `${label} ip6`);
      t.same(L[3]?.records, ['app.example.test.'], `${label} addr`);
      t.equal(L[4]?.records, 'app.example.test.', `${label} cname`);
      t.same(L[5]?.records, [{ Host: 'mx.example.test.', Pref: 10 }], `${label} mx`);
      t.same(L[6]?.records, [{ Target: 'sip.example.test.', Port: 5060, Priority: 1, Weight: 5 }], `${label} srv`);
      t.same(L[7]?.records, ['v=spf1 -all'], `${label} txt`);
      t.same(L[8]?.records, [{ Host: 'ns1.example.test.' }], `${label} ns`);
      t.match(L[9], { ok: false, isNotFound: true, isTimeout: false }, `${label} NXDOMAIN is "not found"`);
      if (cgo === '0') t.match(L[10], { ok: false, isTimeout: true, isNotFound: false }, `${label}: Go reports a dropped query as a timeout`);
      // glibc gives up with EAI_AGAIN, which Go passes on as temporary, not as a timeout.
      else t.match(L[10], { ok: false, isTimeout: false, isTemporary: true, error: /Temporary failure in name resolution/ }, `${label}: glibc reports it as a temporary failure`);
      t.ok((L[10]?.elapsedMs ?? 0) >= 900, `${label}: timeout after ${L[10]?.elapsedMs} ms (resolv.conf timeout:1)`);
    }
  }
});

t.test('bad arguments exit 2 with usage', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const probe = await probeFor(t, tcs[1]!, '0');
  for (const args of [[], ['host'], ['bogus', 'x']]) {
    const r = await execa(probe.path, args, { reject: false });
    t.equal(r.exitCode, 2, args.join(' ') || '(none)');
    t.match(r.stderr, /usage: probe \[-timeout 10s\] KIND NAME/);
  }
});

t.test('the probe source is gofmt-clean, vet-clean and uses only the standard library', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const tc = tcs[1]!;
  const fmt = await execa(`${tc.goroot}/bin/gofmt`, ['-l', '.'], { cwd: PROBE_DIR, reject: false });
  t.equal(fmt.stdout.trim(), '', 'gofmt -l lists nothing');
  const vet = await execa(tc.go, ['vet', '.'], { cwd: PROBE_DIR, env: goEnvFor(tc), extendEnv: false, reject: false });
  t.equal(vet.exitCode, 0, vet.stderr);
  const deps = await execa(tc.go, ['list', '-deps', '-f', '{{if not .Standard}}{{.ImportPath}}{{end}}', '.'], { cwd: PROBE_DIR, env: goEnvFor(tc), extendEnv: false, reject: false });
  t.same(deps.stdout.trim().split('\n').filter(Boolean), ['go-dns-harness/probe'], 'no dependency outside the standard library');
});
