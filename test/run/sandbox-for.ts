/** What a scenario's sandbox is opened with, per stub mode (the opening itself is in test/serial). */
import t from 'tap';
import { ResolvedUnavailableError, sandboxSetup } from '../../src/run/sandbox-for.js';
import { scenario } from '../helpers/fixtures.js';

const plain = scenario({ name: 'plain', servers: [{ listen: ['127.0.0.53:53/udp'], records: { 'app.example.test': { A: '192.0.2.10' } } }] as never });
const withStub = scenario({ name: 'stub', servers: [{ kind: 'resolved' }, { listen: ['127.0.0.1:53/udp'], records: { 'app.example.test': { A: '192.0.2.10' } } }] as never });
const install = { root: '/cache/r', binary: '/cache/r/usr/lib/systemd/systemd-resolved', libDir: '/cache/r/usr/lib/systemd', nssResolve: '/cache/r/usr/lib/x86_64-linux-gnu/libnss_resolve.so.2', version: 'systemd 252' };

t.test('a scenario without a resolved server: its own files and servers, whatever the stub', async (t) => {
  const o = sandboxSetup(plain, undefined);
  t.same(o.files, plain.files);
  t.equal(o.servers, plain.servers);
  t.equal(o.resolved, undefined);
});

t.test('a stand-in stub: a fake server in front of the upstreams', async (t) => {
  const o = sandboxSetup(withStub, 'emulated');
  t.equal(o.servers?.length, withStub.servers.length + 1);
  t.match(o.servers?.[0]?.listen, ['127.0.0.53:53/udp']);
  t.equal(o.resolved, undefined);
});

t.test('the real stub: its account, no host resolved.conf, the daemon; none to run is an error saying why', async (t) => {
  const o = sandboxSetup(withStub, 'real', install as never);
  t.match(o.files?.['/etc/passwd'], /^systemd-resolve:x:0:0:/m);
  t.match(o.files?.['/etc/group'], /^systemd-resolve:x:0:$/m);
  t.same([o.resolved?.binary, o.resolved?.version], [install.binary, 'systemd 252']);
  t.throws(() => sandboxSetup(withStub, 'real', { unavailable: 'no user namespaces' }), ResolvedUnavailableError);
  t.throws(() => sandboxSetup(withStub, 'real'), { message: /not provisioned; run: go-dns-harness resolved fetch/ });
});
