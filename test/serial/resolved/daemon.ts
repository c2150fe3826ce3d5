/**
 * The real systemd-resolved inside sandboxes: it serves on 127.0.0.53 and 127.0.0.54 from the
 * scenario's fake upstream, forgets between commands, works through nss-resolve without its stub,
 * and is missing with a reason rather than silently.
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Sandbox } from '../../../src/index.js';
import { findSandboxMethod } from '../../../src/sandbox/capability.js';
import { methods } from '../../../src/sandbox/methods.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { sandboxSetup } from '../../../src/run/sandbox-for.js';
import { CONF_DROPIN } from '../../../src/resolved/daemon.js';
import { resolvedOrSkip } from '../../helpers/resolved.js';
import { oldestAndNewest } from '../../helpers/go.js';
import type { Toolchain } from '../../../src/index.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

const scenario = (extra = '', rules = '') =>
  parseScenario(
    `name: t
summary: test
files:
  resolv.conf: "nameserver 127.0.0.53\\noptions edns0 trust-ad\\nsearch .\\n"
  nsswitch.conf: "hosts: files resolve [!UNAVAIL=return] dns\\n"
servers:
  - kind: resolved
${extra}
  - listen: [127.0.0.2:53/udp, 127.0.0.2:53/tcp]
    records:
      app.example.test: {A: 192.0.2.10, AAAA: "2001:db8::10"}
${rules}
`,
    'test.yaml',
  );

const dig = (server: string, type = 'A') => ['+tries=1', '+time=5', `@${server}`, 'app.example.test', type];

t.test('it answers on 127.0.0.53 and 127.0.0.54 from the fake upstream, with its own config, in every sandbox method', async (t) => {
  const install = await resolvedOrSkip(t);
  if (!install) return;
  const s = scenario('    conf: {Cache: "no"}');
  let ran = 0;
  for (const m of methods()) {
    const found = await findSandboxMethod({ only: [m.name] }).catch(() => null);
    if (!found) continue;
    ran++;
    const sb = await Sandbox.open({ ...sandboxSetup(s, 'real', install), method: found.method });
    t.teardown(() => sb.close());
    t.match(sb.resolved?.version, /^systemd \d+/, `${m.name}: the daemon reports its version`);
    const a = await sb.run('dig', dig('127.0.0.53'));
    t.match(a.stdout, /status: NOERROR/, `${m.name}: 127.0.0.53 answers`);
    t.match(a.stdout, /^app\.example\.test\.\s+\d+\s+IN\s+A\s+192\.0\.2\.10$/m);
    t.match(a.stdout, /udp: 65494/, `${m.name}: with the stub's own OPT`);
    t.same(a.queries[0]?.map((q) => [q.qtype, q.server.address]), [['A', '127.0.0.2']], `${m.name}: the upstream saw resolved's one query`);
    t.equal(a.queries[0]?.[0]?.edns?.udpSize, 65508, 'resolved asks with its own EDNS size, not the client\'s');
    t.ok(a.resolvedLog?.some((l) => /Using DNS server 127\.0\.0\.2/.test(l)), `${m.name}: its log for the command is returned`);
    const b = await sb.run('dig', dig('127.0.0.54', 'AAAA'));
    t.match(b.stdout, /IN\s+AAAA\s+2001:db8::10/, `${m.name}: 127.0.0.54 (the bypass listener) answers too`);
    const conf = await sb.run('cat', [CONF_DROPIN]);
    t.match(conf.stdout, /^DNS=127\.0\.0\.2$/m, 'the fake servers are its DNS=');
    t.match(conf.stdout, /^Cache=no$/m, "the scenario's options are written");
    t.match(conf.stdout, /^LLMNR=no$/m);
    const links = await sb.run('ip', ['-o', 'link', 'show']);
    t.match(links.stdout, /gdh0@gdh1/, 'a veth pair makes the network "up" for it');
    await sb.close();
  }
  t.ok(ran > 0, 'at least one sandbox method ran it');
});

t.test("between commands it forgets its cache and what it learnt about the upstream's EDNS", async (t) => {
  const install = await resolvedOrSkip(t);
  if (!install) return;
  const s = scenario('', '    rules:\n      - match: {edns: true}\n        action: formerr');
  const sb = await Sandbox.open(sandboxSetup(s, 'real', install));
  t.teardown(() => sb.close());
  for (const round of [1, 2]) {
    const r = await sb.run('dig', dig('127.0.0.53'));
    t.match(r.stdout, /status: NOERROR/, `round ${round}: answered after resolved retried without EDNS`);
    const q = r.queries[0] ?? [];
    t.same(q.map((x) => x.edns !== null), [true, false], `round ${round}: the upstream saw EDNS first, then plain: fresh state, no cache`);
  }
});

t.test('nss-resolve: getent goes over varlink with the stub listener off', async (t) => {
  const install = await resolvedOrSkip(t);
  if (!install) return;
  const s = scenario('    nss: true\n    conf: {DNSStubListener: "no"}');
  const sb = await Sandbox.open(sandboxSetup(s, 'real', install));
  t.teardown(() => sb.close());
  const g = await sb.run('getent', ['ahosts', 'app.example.test']);
  t.match(g.stdout, /^192\.0\.2\.10\s+STREAM app\.example\.test/m, 'glibc resolves through libnss_resolve');
  t.ok(g.queries[0]?.length, 'and resolved asked the upstream');
  const d = await sb.run('dig', dig('127.0.0.53'));
  t.match(d.stdout, /connection refused|timed out|no servers could be reached/, 'nothing listens on 127.0.0.53');
  const lib = await sb.run('sh', ['-c', 'ls /usr/lib/*/libnss_resolve.so.2']);
  t.equal(lib.exitCode, 0, 'libnss_resolve is in the library directory inside');
  t.notOk(/libnss_resolve/.test(readFileSync('/proc/self/mountinfo', 'utf8')), 'and not on the host');
});

t.test('without systemd-resolved, real-stub cells are skipped with the reason; emulated ones run', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  // An empty cache: no systemd-resolved there, and --no-fetch forbids getting one.
  const cache = t.testdir({});
  const r = await execa('node', [CLI, 'run', '--scenario', 'resolved-upstream-refuses', '--go', (tcs[1] as Toolchain).goroot, '--cgo', '0', '--netdns', 'go', '--no-fetch', '--out', join(cache, 'out'), '--json'], {
    reject: false,
    env: { GDH_CACHE_DIR: cache },
  });
  t.equal(r.exitCode, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { meta: { resolved?: string }; cells: Array<{ id: string; verdict: string; reason?: string }> };
  const real = doc.cells.find((c) => c.id.endsWith(':stub=real'));
  const emulated = doc.cells.find((c) => c.id.endsWith(':stub=emulated'));
  t.equal(real?.verdict, 'skip');
  t.match(real?.reason, /the real systemd-resolved is not available: not provisioned in .* run: go-dns-harness resolved fetch/);
  t.equal(emulated?.verdict, 'pass', 'the emulated stub needs nothing');
  t.match(doc.meta.resolved, /^unavailable: /);
});
