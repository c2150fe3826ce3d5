/** Platform defaults from a release's own files: the dh_installnss edits, netbase's hosts, the scenario marker. */
import t from 'tap';
import { applyNssEdit, hostsFromNetbase, nssEditsIn } from '../../src/provision/platform-defaults.js';
import { planCells } from '../../src/plan/cells.js';
import { parseScenario } from '../../src/scenario/load.js';
import { filesOnPlatform, usesPlatformDefaults } from '../../src/scenario/platform-default.js';
import { toolchain } from '../helpers/fixtures.js';

const POSTINST = `#!/bin/sh
set -e
# Automatically added by dh_installnss/1.7
if [ "$1" = "configure" ]; then
	if ! grep -q -E  -e '^hosts:[^#]*\\s(resolve)(\\s|#|$)' "\${DPKG_ROOT}/etc/nsswitch.conf" ; then
		# Installing hosts/resolve[!UNAVAIL=return] from libnss-resolve in position before=dns
		sed -E -i ...
	fi
fi
`;

t.test('the hosts-line edits a postinst states, applied as dh_installnss does', async (t) => {
  t.same(nssEditsIn(POSTINST), [{ entry: 'resolve [!UNAVAIL=return]', pkg: 'libnss-resolve', position: 'before=dns' }]);
  const base = 'passwd:         files\nhosts:          files dns\nnetworks:       files\n';
  const my = applyNssEdit(base, { entry: 'myhostname', pkg: 'libnss-myhostname', position: 'after=files' });
  t.equal(my, 'passwd:         files\nhosts:          files myhostname dns\nnetworks:       files\n');
  const both = applyNssEdit(my, nssEditsIn(POSTINST)[0]!);
  t.match(both, /^hosts: {10}files myhostname resolve \[!UNAVAIL=return\] dns$/m);
  t.equal(applyNssEdit(both, { entry: 'resolve [!UNAVAIL=return]', pkg: 'x', position: 'first' }), both, 'a source already there is left alone');
  t.match(applyNssEdit('hosts: files mdns4_minimal [NOTFOUND=return] dns # comment\n', { entry: 'resolve [!UNAVAIL=return]', pkg: 'x', position: 'before=dns' }), /^hosts: files mdns4_minimal \[NOTFOUND=return\] resolve \[!UNAVAIL=return\] dns # comment$/m, 'actions and comments kept');
  t.match(applyNssEdit('hosts: files\n', { entry: 'dns', pkg: 'x', position: 'before=resolve' }), /^hosts: files dns$/m, 'an anchor not there: last');
  t.match(applyNssEdit('hosts: files dns\n', { entry: 'mymachines', pkg: 'x', position: 'first' }), /^hosts: mymachines files dns$/m);
});

t.test("/etc/hosts from netbase's postinst here-document, leading tabs stripped", async (t) => {
  const postinst = 'create_hosts_file() {\n  if [ -e /etc/hosts ]; then return 0; fi\n\n  cat > /etc/hosts <<-EOF\n\t127.0.0.1\tlocalhost\n\t::1\t\tlocalhost ip6-localhost ip6-loopback\n\nEOF\n}\n';
  t.equal(hostsFromNetbase(postinst), '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n\n', 'byte for byte, its blank last line too');
  t.equal(hostsFromNetbase('#!/bin/sh\nexit 0\n'), undefined);
});

const SCENARIO = (files: string) => `name: fresh
summary: a fresh install
${files}
servers:
  - listen: [127.0.0.53:53/udp]
    records: {app.example.test: {A: 192.0.2.10}}
lookups: [host app.example.test]
expect:
  - result: ok
`;

t.test('files: platform-default takes the three files from the platform, and such a scenario has no host cells', async (t) => {
  const s = parseScenario(SCENARIO('files: platform-default'), 'fresh.yaml');
  t.same(s.files, { 'resolv.conf': 'platform-default', 'nsswitch.conf': 'platform-default', hosts: 'platform-default' });
  t.ok(usesPlatformDefaults(s.files));
  const one = parseScenario(SCENARIO('files:\n  resolv.conf: platform-default\n  hosts: "127.0.0.1 localhost\\n"'), 'one.yaml');
  t.same(filesOnPlatform(one.files, { files: { 'resolv.conf': 'nameserver 127.0.0.53\n', 'nsswitch.conf': 'hosts: files dns\n', hosts: '' }, from: {} as never }), { 'resolv.conf': 'nameserver 127.0.0.53\n', hosts: '127.0.0.1 localhost\n' }, 'one file from the platform, the other as written');
  t.throws(() => parseScenario(SCENARIO('files:\n  passwd: platform-default'), 'bad.yaml'), { message: /bad\.yaml:\d+:\d+: files\.passwd.*only resolv\.conf, nsswitch\.conf, hosts have platform defaults/s });
  t.throws(() => parseScenario(SCENARIO('files: everything'), 'bad.yaml'), { message: /bad\.yaml.*files/s });
  const tc = toolchain(27);
  t.same(planCells([s], [tc], { cgo: ['0'], netdns: ['go'], platform: ['host'] }).length, 0, 'on the host alone: no cells');
  t.same(planCells([s], [tc], { cgo: ['0'], netdns: ['go'], platform: ['host', 'debian-11', 'debian-13'] }).map((c) => c.axes.platform), ['debian-11', 'debian-13'], 'one per platform asked');
  t.same(planCells([s], [tc], { cgo: ['1'], netdns: ['go'], libc: ['glibc', 'musl-1.2.3'], platform: ['host', 'debian-11'] }).map((c) => `${c.axes.libc ?? 'glibc'}/${c.axes.platform}`), ['glibc/debian-11'], 'no musl cell (musl runs on the host only)');
});
