/**
 * How files are put in place inside the sandbox, and that the host never sees it: a symlink is
 * followed and its target mounted over (Ubuntu's resolv.conf); a dangling link's target is
 * created in an overlay; null removes a file; extra files land in /etc.
 */
import { existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Sandbox } from '../../../src/index.js';
import { hostState } from '../../helpers/host.js';
import { oldestAndNewest, probeFor, type ProbeOutput } from '../../helpers/go.js';

t.test('symlinks, dangling symlinks, removed and new files', async (t) => {
  const dir = t.testdir({ 'real.conf': 'host copy\n' });
  symlinkSync('real.conf', join(dir, 'link.conf'));
  symlinkSync('sub/deeper/missing.conf', join(dir, 'dangling.conf'));
  const hadMdnsAllow = existsSync('/etc/mdns.allow');
  const before = hostState();
  const sb = await Sandbox.open({
    files: {
      [join(dir, 'link.conf')]: 'through the link\n',
      [join(dir, 'dangling.conf')]: 'made inside\n',
      'mdns.allow': '.local\n',
      'host.conf': 'multi on\n',
      'resolv.conf': null,
    },
    servers: [],
  });
  t.teardown(() => sb.close());
  const cat = async (p: string) => (await sb.run('cat', [p])).stdout;
  t.equal(await cat(join(dir, 'link.conf')), 'through the link\n');
  t.equal(await cat(join(dir, 'real.conf')), 'through the link\n', 'the link target itself was mounted over');
  t.equal(await cat(join(dir, 'dangling.conf')), 'made inside\n', "a dangling link's target is created inside");
  t.equal(await cat('/etc/mdns.allow'), '.local\n');
  t.equal(await cat('/etc/host.conf'), 'multi on\n');
  t.equal((await sb.run('test', ['-e', '/etc/resolv.conf'])).exitCode, 1, 'resolv.conf is gone inside');
  t.equal((await sb.run('test', ['-e', '/etc/passwd'])).exitCode, 0, 'the rest of /etc is still there');
  const notes = Object.fromEntries(sb.mounts.map((m) => [m.target, m]));
  t.equal(notes[join(dir, 'link.conf')]?.mountedAt, join(dir, 'real.conf'));
  t.match(notes[join(dir, 'dangling.conf')]?.note, /did not exist; created in an overlay of/);
  t.match(notes['/etc/resolv.conf']?.note, /removed inside the sandbox/);

  t.equal(readFileSync(join(dir, 'real.conf'), 'utf8'), 'host copy\n', 'the host file is untouched');
  t.ok(lstatSync(join(dir, 'link.conf')).isSymbolicLink(), 'the host link is still a link');
  t.notOk(existsSync(join(dir, 'sub')), 'nothing was created on the host for the dangling link');
  t.equal(existsSync('/etc/mdns.allow'), hadMdnsAllow, 'no /etc/mdns.allow appeared on the host');
  t.same(hostState(), before, 'host /etc files and mounts unchanged');
});

t.test('with no resolv.conf at all, Go falls back to 127.0.0.1:53 and [::1]:53', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const sb = await Sandbox.open({
    files: { 'resolv.conf': null, 'nsswitch.conf': 'hosts: files dns\n', hosts: '127.0.0.1 localhost\n' },
    servers: [{ listen: ['127.0.0.1:53/udp', '127.0.0.1:53/tcp'], records: { 'app.example.test': { A: '192.0.2.10' } } }],
  });
  t.teardown(() => sb.close());
  const probe = await probeFor(t, tcs[1]!, '0');
  const r = await sb.run(probe.path, ['-timeout', '5s', 'ip4', 'app.example.test'], { env: { PATH: process.env.PATH ?? '' } });
  const out = JSON.parse(r.stdout) as ProbeOutput;
  t.same(out.lookups[0]?.addrs, ['192.0.2.10']);
  t.equal(r.queries[0]?.[0]?.server.address, '127.0.0.1');
});
