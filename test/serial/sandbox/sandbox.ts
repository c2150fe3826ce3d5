/**
 * The heart of the harness: a Go probe resolving through the real /etc files inside a sandbox,
 * with a fake stub on 127.0.0.53, for Go 1.19 and the newest Go, CGO_ENABLED 0 and 1.
 */
import t from 'tap';
import { Sandbox, baseEnv, type SandboxRunResult as RunResult } from '../../../src/index.js';
import { declaredPath, parseTrace } from '../../../src/observe/trace.js';
import { oldestAndNewest, probeFor, type ProbeOutput } from '../../helpers/go.js';

const STUB_FILES = {
  'resolv.conf': 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n',
  'nsswitch.conf': 'hosts: files dns\n',
  hosts: '127.0.0.1 localhost\n',
};
const RECORDS = { 'app.example.test': { A: '192.0.2.10', AAAA: '2001:db8::10' } };
const udpSockets = (r: RunResult) => new Set(r.queries[0]?.filter((q) => q.transport === 'udp').map((q) => q.client.port)).size;

t.test('each cell resolves through the stub, and the trace names the path the wire shows', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const sb = await Sandbox.open({ files: STUB_FILES, servers: [{ listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: RECORDS }] });
  t.teardown(() => sb.close());
  for (const tc of tcs) {
    for (const cgo of ['0', '1'] as const) {
      const probe = await probeFor(t, tc, cgo);
      for (const netdns of ['go', 'cgo']) {
        const r = await sb.run(probe.path, ['-timeout', '5s', 'host', 'app.example.test', 'ip4', 'app.example.test'], { env: { ...baseEnv(), GODEBUG: `netdns=${netdns}+2` } });
        const label = `${tc.version} CGO_ENABLED=${cgo} netdns=${netdns}`;
        t.equal(r.exitCode, 0, `${label} exits 0`, { stderr: r.stderr });
        const out = JSON.parse(r.stdout) as ProbeOutput;
        t.equal(out.go.version, tc.version);
        t.equal(out.build.cgoEnabled, cgo, `${label}: CGO_ENABLED read back from the build info`);
        t.match(out.godebug.env, `netdns=${netdns}+2`);
        t.same(out.lookups.map((l) => [l.ok, (l.addrs ?? []).sort()]), [[true, ['192.0.2.10', '2001:db8::10']], [true, ['192.0.2.10']]], `${label} resolves`);
        const trace = parseTrace(r.stderr);
        const want = cgo === '1' && netdns === 'cgo' ? 'cgo' : 'go';
        t.equal(declaredPath(trace, 'app.example.test'), want, `${label} declares ${want}`);
        t.ok(r.queries[0]?.length, `${label}: the fake stub saw the queries`);
        t.equal(r.queries[0]?.every((q) => q.server.address === '127.0.0.53' && q.server.port === 53), true);
        // The first lookup (host) asks A and AAAA: glibc from one socket, Go from one each.
        const hostQueries = { ...r, queries: [r.queries[0]?.filter((q) => q.seq <= (r.queries[0]?.[0]?.seq ?? 0) + 1) ?? []] };
        t.equal(udpSockets(hostQueries), want === 'cgo' ? 1 : 2, `${label}: the wire agrees`);
      }
    }
  }
});

t.test('with the stub refusing every cell fails, and each path words it its own way', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const sb = await Sandbox.open({ files: STUB_FILES, servers: [{ listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: RECORDS, rules: [{ action: 'refuse' }] }] });
  t.teardown(() => sb.close());
  const texts = new Map<string, string>();
  for (const tc of tcs) {
    for (const cgo of ['0', '1'] as const) {
      const probe = await probeFor(t, tc, cgo);
      for (const netdns of ['go', 'cgo']) {
        const r = await sb.run(probe.path, ['-timeout', '5s', 'host', 'app.example.test'], { env: { ...baseEnv(), GODEBUG: `netdns=${netdns}+2` } });
        const out = JSON.parse(r.stdout) as ProbeOutput;
        const l = out.lookups[0];
        const path = declaredPath(parseTrace(r.stderr), 'app.example.test');
        const label = `${tc.version} CGO_ENABLED=${cgo} netdns=${netdns} (${path})`;
        t.equal(l?.ok, false, `${label} fails`);
        t.ok(r.queries[0]?.every((q) => q.response?.rcode === 'REFUSED'), `${label}: every query was refused`);
        texts.set(label, l?.error ?? '');
        t.comment(`${label}: ${l?.error}`);
        if (path === 'go') t.match(l?.error, /server misbehaving/, `${label}: Go's resolver calls REFUSED "server misbehaving"`);
        else t.notMatch(l?.error, /server misbehaving/, `${label}: glibc's wording differs`);
      }
    }
  }
  t.ok(new Set(texts.values()).size >= 2, 'the two paths give different error texts');
});

t.test("glibc's getent ahosts reaches the same fake server", async (t) => {
  const sb = await Sandbox.open({ files: STUB_FILES, servers: [{ listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: RECORDS }] });
  t.teardown(() => sb.close());
  const r = await sb.run('getent', ['ahosts', 'app.example.test']);
  t.equal(r.exitCode, 0);
  t.match(r.stdout, /^192\.0\.2\.10\s+STREAM/m);
  t.match(r.stdout, /^2001:db8::10\s+STREAM app\.example\.test/m);
  const q = r.queries[0] ?? [];
  t.same(q.map((x) => x.qtype).sort(), ['A', 'AAAA']);
  t.equal(new Set(q.map((x) => x.client.port)).size, 1, 'glibc asks A and AAAA from one socket');
  t.equal(q[0]?.edns?.udpSize, 1200, 'glibc advertises 1200 with options edns0');
  t.equal(q[0]?.flags?.ad, true, 'trust-ad makes glibc set AD');
  const hosts = await sb.run('getent', ['ahosts', 'localhost']);
  t.equal(hosts.queries[0]?.length, 0, '/etc/hosts answers localhost without a query');
});

t.test('two fake servers in one sandbox (127.0.0.53 refusing, 127.0.0.54 answering)', async (t) => {
  const sb = await Sandbox.open({
    files: { ...STUB_FILES, 'resolv.conf': 'nameserver 127.0.0.53\nnameserver 127.0.0.54\n' },
    servers: [
      { listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: RECORDS, rules: [{ action: 'refuse' }] },
      { listen: ['127.0.0.54:53/udp', '127.0.0.54:53/tcp'], records: RECORDS },
    ],
  });
  t.teardown(() => sb.close());
  t.same(sb.servers, [['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], ['127.0.0.54:53/udp', '127.0.0.54:53/tcp']]);
  const r = await sb.run('getent', ['ahosts', 'app.example.test']);
  t.equal(r.exitCode, 0, 'glibc moves on to the second nameserver');
  t.ok((r.queries[0] ?? []).every((q) => q.response?.rcode === 'REFUSED'), 'the first refused');
  t.ok((r.queries[1] ?? []).some((q) => q.response?.rcode === 'NOERROR'), 'the second answered');
});

t.test('each command in a sandbox starts with fresh nth counts', async (t) => {
  const sb = await Sandbox.open({
    files: STUB_FILES,
    servers: [{ listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: RECORDS, rules: [{ match: { nth: [1, 2] }, action: 'refuse' }] }],
  });
  t.teardown(() => sb.close());
  for (const run of [1, 2]) {
    const r = await sb.run('dig', ['+short', '+tries=1', '+time=1', 'app.example.test']);
    const q = r.queries[0] ?? [];
    t.same(q.map((x) => [x.nth, x.response?.rcode]), [[1, 'REFUSED']], `run ${run}: the first query of this command is nth 1`);
  }
});

t.test('output past the cap is counted, not kept, and the command runs to its end', async (t) => {
  const sb = await Sandbox.open({ files: STUB_FILES, servers: [{ listen: ['127.0.0.53:53/udp'], records: RECORDS }] });
  t.teardown(() => sb.close());
  // 20 MB on stdout, then a word on stderr and an exit code: all of it after the cap was passed.
  const script = 'head -c 20000000 /dev/zero | tr "\\0" x; printf "done\\n" >&2; exit 3';
  const r = await sb.run('/bin/sh', ['-c', script], { maxOutputBytes: 1000 });
  t.equal(r.exitCode, 3, 'the command was not stopped by its output');
  t.equal(r.stdout, 'x'.repeat(1000), 'the first 1000 bytes, as written');
  t.equal(r.stderr, 'done\n');
  t.same(r.dropped, { stdout: 20_000_000 - 1000, stderr: 0 });
  const small = await sb.run('/bin/sh', ['-c', 'printf "a\\n"; printf "b" >&2']);
  t.equal(small.stdout, 'a\n', 'output kept exactly, final newline too');
  t.equal(small.stderr, 'b');
  t.equal(small.dropped, undefined, 'nothing dropped: no field');
});
