/**
 * Probe builds: one per (toolchain, CGO_ENABLED, tags, go.mod go line), cached by content, built
 * in parallel; and the go line is itself an axis: with `go 1.18`, Go 1.21+ stops sending EDNS0.
 */
import { statSync } from 'node:fs';
import t from 'tap';
import { Sandbox, baseEnv, buildProbe, buildProbes } from '../../../src/index.js';
import { probeKey } from '../../../src/go/probe-build.js';
import { oldestAndNewest, probeFor, type ProbeOutput } from '../../helpers/go.js';

t.test('content-addressed cache: a warm cache rebuilds nothing; every input changes the key', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const [old, newest] = tcs as [NonNullable<(typeof tcs)[0]>, NonNullable<(typeof tcs)[1]>];
  const spec = { toolchain: newest, cgo: '0' as const, tags: ['netgo'], goModGo: '1.19' };
  const first = await probeFor(t, newest, '0', ['netgo']);
  const again = await buildProbe(spec);
  t.same(['built' in again && again.built, 'path' in again && again.path], [false, first.path], 'the second build comes from the cache');
  const mtime = statSync(first.path).mtimeMs;
  const keys = new Set([
    probeKey(spec),
    probeKey({ ...spec, cgo: '1' }),
    probeKey({ ...spec, tags: [] }),
    probeKey({ ...spec, tags: ['netcgo'] }),
    probeKey({ ...spec, goModGo: '1.18' }),
    probeKey({ ...spec, toolchain: old }),
  ]);
  t.equal(keys.size, 6, 'toolchain, cgo, tags and go line each change the key');
  t.equal(probeKey({ ...spec, tags: ['b', 'a'] }), probeKey({ ...spec, tags: ['a', 'b'] }), 'tag order does not matter');
  const many = await buildProbes([spec, { ...spec, tags: [] }, { ...spec, cgo: '1', tags: [] }, { toolchain: old, cgo: '0', tags: [], goModGo: '1.19' }], 2);
  t.equal(many.length, 4);
  t.ok(many.every((p) => 'path' in p), 'all four built (two at a time)');
  t.equal(statSync(first.path).mtimeMs, mtime, 'the cached binary was not rewritten');
});

t.test('CGO_ENABLED=1 without a C compiler is skipped with the reason', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const r = await buildProbe({ toolchain: { ...tcs[1]!, cc: '/nonexistent/cc' }, cgo: '1', tags: [], goModGo: '1.19' });
  t.ok('skipped' in r);
  t.match('skipped' in r ? r.skipped : '', /CGO_ENABLED=1 needs a C compiler and "\/nonexistent\/cc" does not run here \(not found\); install one/);
  await t.rejects(buildProbe({ toolchain: tcs[1]!, cgo: '0', tags: [], goModGo: 'latest' }), { code: 'GDH_CONFIG', message: /goModGo: "latest" is not valid; the go\.mod go line is a Go version like 1\.19/ });
});

t.test('the go.mod go line: 1.18 turns EDNS0 off in Go 1.21+, not in 1.19', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const sb = await Sandbox.open({
    files: { 'resolv.conf': 'nameserver 127.0.0.53\n', 'nsswitch.conf': 'hosts: files dns\n' },
    servers: [{ listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: { 'app.example.test': { A: '192.0.2.10' } } }],
  });
  t.teardown(() => sb.close());
  for (const tc of tcs) {
    for (const goModGo of ['1.18', '1.19']) {
      const p = await buildProbe({ toolchain: tc!, cgo: '0', tags: [], goModGo });
      if (!('path' in p)) {
        t.fail(p.skipped);
        continue;
      }
      const r = await sb.run(p.path, ['ip4', 'app.example.test'], { env: { ...baseEnv(), GODEBUG: 'netdns=go' } });
      const out = JSON.parse(r.stdout) as ProbeOutput;
      const edns = r.queries[0]?.map((q) => q.edns?.udpSize ?? null);
      const off = tc!.minor >= 21 && goModGo === '1.18';
      t.same(edns, [off ? null : 1232], `${tc!.version} with go ${goModGo}: ${off ? 'no EDNS' : 'EDNS 1232'}`);
      t.equal(out.build.toolchain, tc!.version, 'the building toolchain is read back from the build info');
      if (off) t.match(out.godebug.default, /netedns0=0/, 'the build records netedns0=0 as a default GODEBUG');
    }
  }
});
