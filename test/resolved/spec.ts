/** The pure parts of the resolved server kind: its config, upstreams, stand-ins and stub axis. */
import t from 'tap';
import { resolvedConfText, resolvedServerSchema, stubListenerOn, stubModesFor, stubStandIn, upstreamsOf } from '../../src/resolved/spec.js';
import { serverOptionsSchema } from '../../src/dns/options-schema.js';
import { sandboxSetup, ResolvedUnavailableError } from '../../src/run/sandbox-for.js';
import { scenario } from '../helpers/fixtures.js';

const r = (over: Record<string, unknown> = {}) => resolvedServerSchema.parse({ kind: 'resolved', ...over });
const upstream = serverOptionsSchema.parse({ listen: ['127.0.0.2:53/udp', '127.0.0.2:53/tcp'], records: { 'app.example.test': { A: '192.0.2.10' } }, rules: [{ action: 'refuse' }] });

t.test('resolved.conf: safe defaults, the fake servers as DNS=, the scenario wins, lists repeat', async (t) => {
  const text = resolvedConfText(r({ conf: { LLMNR: 'resolve', Cache: false, DNSStubListenerExtra: ['127.0.0.55', '127.0.0.56'] } }), ['127.0.0.2', '[::1]:5353']);
  t.equal(
    text,
    '# written by go-dns-harness for this sandbox\n[Resolve]\nDNS=127.0.0.2 [::1]:5353\nFallbackDNS=\nLLMNR=resolve\nMulticastDNS=no\nCache=no\nDNSStubListenerExtra=127.0.0.55\nDNSStubListenerExtra=127.0.0.56\n',
  );
});

t.test('upstreams: each fake server\'s first UDP address, never the stub addresses', async (t) => {
  const parse = (listen: string[]) => serverOptionsSchema.parse({ listen });
  t.same(upstreamsOf([parse(['127.0.0.2:53/tcp', '127.0.0.2:53/udp']), parse(['[::1]:53/udp']), parse(['127.0.0.53:53/udp', '127.0.0.3:5353/udp']), parse(['127.0.0.4:53/tcp'])]), ['127.0.0.2', '[::1]:53', '127.0.0.3:5353']);
});

t.test('the stub listener is on unless DNSStubListener says no', async (t) => {
  t.equal(stubListenerOn(r()), true);
  t.equal(stubListenerOn(r({ conf: { DNSStubListener: 'udp' } })), true);
  for (const off of ['no', 'false', 'OFF', '0', false]) t.equal(stubListenerOn(r({ conf: { DNSStubListener: off } })), false, String(off));
});

t.test('stand-ins: the emulated stub takes the emulation, passthrough the upstream\'s rules; both serve its records on .53 and .54', async (t) => {
  const emulated = stubStandIn(r({ emulation: { rules: [{ action: 'servfail' }] } }), [upstream], 'emulated');
  t.same(emulated.listen, ['127.0.0.53:53/udp', '127.0.0.53:53/tcp', '127.0.0.54:53/udp', '127.0.0.54:53/tcp']);
  t.same(emulated.records, upstream.records);
  t.same(emulated.rules?.map((x) => x.action), ['servfail']);
  t.equal(emulated.ednsUdpSize, 65494);
  t.same(stubStandIn(r(), [upstream], 'passthrough').rules?.map((x) => x.action), ['refuse']);
});

t.test('stub modes: none without a resolved server; emulated only with an emulation', async (t) => {
  t.same(stubModesFor(undefined, ['real', 'emulated']), [undefined]);
  t.same(stubModesFor(r(), ['real', 'emulated', 'passthrough']), ['real', 'passthrough']);
  t.same(stubModesFor(r({ emulation: {} }), ['real', 'emulated']), ['real', 'emulated']);
});

t.test('sandbox setup: stand-ins go in front; the real stub needs an install and brings its account, config and nss library', async (t) => {
  const s = scenario({ name: 's', servers: [{ kind: 'resolved', nss: true, emulation: {} }, { listen: ['127.0.0.2:53/udp'], records: { 'app.example.test': { A: '192.0.2.10' } } }] });
  t.same(sandboxSetup(s, undefined), { files: s.files, servers: s.servers });
  const emulated = sandboxSetup(s, 'emulated');
  t.same(emulated.servers.map((x) => x.listen[0]), ['127.0.0.53:53/udp', '127.0.0.2:53/udp']);
  t.throws(() => sandboxSetup(s, 'real'), ResolvedUnavailableError);
  t.throws(() => sandboxSetup(s, 'real', { unavailable: 'no apt here' }), { message: /not available: no apt here/ });
  const install = { version: 'systemd 252', root: '/c', binary: '/c/lib/systemd/systemd-resolved', libDir: '/c/usr/lib/x86_64-linux-gnu/systemd', nssResolve: '/c/usr/lib/x86_64-linux-gnu/libnss_resolve.so.2' };
  const real = sandboxSetup(s, 'real', install);
  t.same(real.binds, [{ target: '/usr/lib/x86_64-linux-gnu/libnss_resolve.so.2', source: install.nssResolve }]);
  t.match(real.files['/etc/passwd'], /\nsystemd-resolve:x:0:0:[^\n]*\n$/);
  t.equal((real.files['/etc/passwd'] ?? '').match(/^systemd-resolve:/gm)?.length, 1, 'one account line, whatever the host has');
  t.match(real.files['/etc/group'], /\nsystemd-resolve:x:0:\n$/);
  t.match(real.resolved, { binary: install.binary, libDir: install.libDir, stubListener: true });
  t.match(real.resolved?.conf, /^DNS=127\.0\.0\.2$/m);
});
