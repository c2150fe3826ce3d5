/**
 * The platform axis for real: other Debian releases fetched from the archive, cgo probes built
 * against and run on their glibc, each release's own systemd-resolved as the real stub, and a
 * platform that cannot be had skipped with the reason.
 */
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import type { RunResult } from '../../../src/results/model.js';
import { CONTROL_DIR } from '../../../src/provision/apt.js';
import { platformDefaults } from '../../../src/provision/platform-defaults.js';
import { oldestAndNewest } from '../../helpers/go.js';
import { platformsOrSkip } from '../../helpers/platform.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const NAMES = ['debian-11', 'debian-13'];
// Not shipped yet: its platform expectations land with the docs regenerated on every platform.
const FRESH = 'fresh-install-stub-healthy';

const runDoc = async (t: Test, args: string[]): Promise<RunResult | null> => {
  const dir = t.testdir({});
  const r = await execa('node', [CLI, 'run', ...args, '--no-fetch', '--out', dir], { reject: false, timeout: 600_000 });
  if (r.exitCode !== 0 && r.exitCode !== 1) {
    t.fail(`run ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.slice(-600)}`);
    return null;
  }
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
};

t.test('platform fetch provisions a release from the archive into the cache, and list shows it', async (t) => {
  if (!platformsOrSkip(t, NAMES)) return;
  // A fresh cache, so the fetch is a real one: private apt lists, download, unpack, self-test.
  const cache = t.testdir({});
  const started = Date.now();
  const r = await execa('node', [CLI, 'platform', 'fetch', 'debian-11'], { env: { GDH_CACHE_DIR: cache }, reject: false, timeout: 600_000 });
  t.equal(r.exitCode, 0, r.stderr.slice(-800));
  t.match(r.stdout, /^debian-11\tglibc 2\.31 \(2\.31-[^)]+\)\tsystemd 247 \([^)]+\)\t\S+platforms\/debian-11$/m, 'glibc 2.31 and systemd 247');
  t.comment(`fetched debian-11 in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const manifest = JSON.parse(readFileSync(join(cache, 'platforms/debian-11/gdh-platform.json'), 'utf8')) as { packages: string[]; loader: string };
  t.ok(manifest.packages.includes('libc6-dev') && manifest.packages.includes('systemd') && manifest.packages.includes('libnss-resolve'), 'libc6-dev, systemd (bullseye ships resolved in it) and libnss-resolve');
  const list = await execa('node', [CLI, 'platform', 'list', '--json'], { env: { GDH_CACHE_DIR: cache }, reject: false });
  const rows = JSON.parse(list.stdout) as Array<{ name: string; fetched: boolean; glibc?: string; reason?: string }>;
  t.match(rows.find((x) => x.name === 'debian-11'), { fetched: true, glibc: '2.31' });
  t.match(rows.find((x) => x.name === 'debian-13'), { fetched: false, reason: /not fetched .*run: go-dns-harness platform fetch debian-13/ }, 'one not fetched says how to fetch it');
  const bad = await execa('node', [CLI, 'platform', 'fetch', 'debian-7'], { env: { GDH_CACHE_DIR: cache }, reject: false });
  t.equal(bad.exitCode, 2);
  t.match(bad.stderr, /"debian-7" is not a platform \(debian-11, debian-12, debian-13, debian-sid, or all\)/);
});

t.test("each platform's cgo cells run on its glibc and report that version, not the host's", async (t) => {
  const platforms = platformsOrSkip(t, NAMES);
  const tcs = await oldestAndNewest(t);
  if (!platforms || !tcs) return;
  const doc = await runDoc(t, ['--scenario', 'stub-refused', '--go', tcs[0]!.version, '--go', tcs[1]!.version, '--netdns', 'cgo', '--platform', `host,${NAMES.join(',')}`]);
  if (!doc) return;
  const host = (await execa('getconf', ['GNU_LIBC_VERSION'])).stdout.replace(/^glibc\s+/, '').trim();
  for (const tc of tcs) {
    for (const p of [{ name: 'host', glibc: host }, ...platforms]) {
      const c = doc.cells.find((x) => x.axes.go === tc.version && x.axes.cgo === '1' && (x.axes.platform ?? 'host') === p.name);
      t.same(c?.libc, { name: 'glibc', version: p.glibc }, `${tc.version} on ${p.name}: glibc ${p.glibc} ran`);
      t.equal(c?.lookups[0]?.error, 'lookup app.example.test: Temporary failure in name resolution', `${tc.version} on ${p.name}: through that glibc's resolver`);
      const go = doc.cells.find((x) => x.axes.go === tc.version && x.axes.cgo === '0' && (x.axes.platform ?? 'host') === p.name);
      t.equal(go?.libc, undefined, `${tc.version} CGO_ENABLED=0 on ${p.name}: runs too, with no C library`);
    }
  }
  t.not(platforms[0]!.glibc, host, 'a platform whose glibc is not the host one (the check can fail)');
  t.same(doc.meta.platforms?.map((p) => [p.name, p.glibc]), NAMES.map((n, i) => [n, platforms[i]!.glibc]), 'the run names each platform and its glibc');
  t.match(doc.cells.find((c) => c.axes.platform === 'debian-11')?.id, /:platform=debian-11$/, 'the platform is in the cell id');
});

t.test("each platform's own systemd-resolved is the real stub", async (t) => {
  const platforms = platformsOrSkip(t, NAMES);
  const tcs = await oldestAndNewest(t);
  if (!platforms || !tcs) return;
  const doc = await runDoc(t, ['--scenario', 'resolved-healthy', '--scenario', 'resolved-nss-resolve', '--go', tcs[1]!.version, '--netdns', 'go,cgo', '--stub', 'real', '--platform', NAMES.join(',')]);
  if (!doc) return;
  for (const p of platforms) {
    if ('unavailable' in p.resolved) {
      t.fail(`${p.name}: ${p.resolved.unavailable}`);
      continue;
    }
    const cells = doc.cells.filter((c) => c.axes.platform === p.name);
    t.ok(cells.length >= 8, `${cells.length} real-stub cells on ${p.name}`);
    for (const c of cells) {
      t.equal(c.resolved?.version, p.resolved.version, `${c.id}: ${p.resolved.version}`);
      t.equal(c.lookups[0]?.ok, true, `${c.id}: resolved answered`);
    }
    // That glibc loaded that release's libnss_resolve, which asked the daemon over varlink.
    const nss = cells.find((c) => c.axes.scenario === 'resolved-nss-resolve' && c.axes.cgo === '1' && c.axes.netdns === 'cgo');
    t.ok(nss?.resolved?.log.some((l) => l.includes('"method":"io.systemd.Resolve.ResolveHostname"')), `${p.name}: nss-resolve asked the daemon over varlink`);
    // Measured: glibc 2.31 follows the varlink answer with A and AAAA queries to the DNS stub; 2.41 does not.
    const alsoStub = p.glibc === '2.31';
    t.equal(nss?.resolved?.log.some((l) => l.includes('Got DNS stub UDP query')), alsoStub, `${p.name}: glibc ${p.glibc} ${alsoStub ? 'also asks' : 'does not ask'} the DNS stub`);
    const go = cells.find((c) => c.axes.scenario === 'resolved-nss-resolve' && c.axes.netdns === 'go');
    t.ok(go?.resolved?.log.some((l) => l.includes('Got DNS stub UDP query')), `${p.name}: while Go's resolver asked the stub (the check can fail)`);
  }
  const versions = new Set(doc.cells.map((c) => c.resolved?.version));
  t.equal(versions.size, NAMES.length, `one resolved per platform: ${[...versions].join(', ')}`);
});

t.test('a platform that cannot be had is skipped with the reason, and the rest of the run goes on', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const cache = t.testdir({});
  // An unpack whose loader is gone (a half-deleted cache) and a platform never fetched.
  mkdirSync(join(cache, 'platforms/debian-11'), { recursive: true });
  writeFileSync(join(cache, 'platforms/debian-11/gdh-platform.json'), JSON.stringify({ layout: 2, name: 'debian-11', loader: join(cache, 'platforms/debian-11/lib64/ld-linux-x86-64.so.2') }));
  const dir = join(cache, 'out');
  const r = await execa('node', [CLI, 'run', '--scenario', 'stub-refused', '--go', tcs[1]!.goroot, '--cgo', '0', '--netdns', 'go', '--platform', 'debian-11,debian-13', '--no-fetch', '--out', dir], { env: { GDH_CACHE_DIR: cache }, reject: false, timeout: 300_000 });
  t.equal(r.exitCode, 0, 'skips do not fail the run');
  const doc = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
  t.equal(doc.cells.length, 2);
  t.match(doc.cells.find((c) => c.axes.platform === 'debian-11'), { verdict: 'skip', reason: /^platform debian-11 is not available: debian-11's loader \S+ is missing; run: go-dns-harness platform fetch debian-11 --force$/ });
  t.match(doc.cells.find((c) => c.axes.platform === 'debian-13'), { verdict: 'skip', reason: /^platform debian-13 is not available: debian-13 is not fetched .*; run: go-dns-harness platform fetch debian-13$/ });
  t.match(doc.meta.platforms?.find((p) => p.name === 'debian-11')?.resolved, /^unavailable: /);
});

t.test("platform defaults are what the release's own maintainer scripts write", async (t) => {
  const platforms = platformsOrSkip(t, NAMES);
  if (!platforms) return;
  for (const p of platforms) {
    const d = platformDefaults(p);
    if ('problem' in d) {
      t.fail(d.problem);
      continue;
    }
    // Run the postinst's dh_installnss section itself on a copy of libc-bin's nsswitch.conf.
    const root = t.testdir({ etc: { 'nsswitch.conf': readFileSync(join(p.root, 'usr/share/libc-bin/nsswitch.conf'), 'utf8') } });
    for (const pkg of p.nssDefaults) {
      const postinst = readFileSync(join(p.root, CONTROL_DIR, pkg, 'postinst'), 'utf8');
      const section = /# Automatically added by dh_installnss[^\n]*\n([\s\S]*?)# End automatically added section/.exec(postinst)?.[1];
      if (!section) {
        t.fail(`${p.name}: ${pkg}'s postinst has no dh_installnss section`);
        continue;
      }
      writeFileSync(join(root, `etc/nsswitch.conf.nss.${pkg}-will-install`), '');
      const r = await execa('sh', ['-c', section, 'postinst', 'configure'], { env: { DPKG_ROOT: root, DPKG_MAINTSCRIPT_PACKAGE: pkg }, reject: false });
      t.equal(r.exitCode, 0, `${p.name}: ${pkg}'s snippet ran: ${r.stderr}`);
    }
    const hostsLine = (text: string) => /^hosts:.*$/m.exec(text)?.[0];
    t.equal(hostsLine(d.files['nsswitch.conf']), hostsLine(readFileSync(join(root, 'etc/nsswitch.conf'), 'utf8')), `${p.name}: ${hostsLine(d.files['nsswitch.conf'])}`);
    // netbase's create_hosts_file, pointed at the scratch root.
    const netbase = readFileSync(join(p.root, CONTROL_DIR, 'netbase', 'postinst'), 'utf8');
    const fn = /create_hosts_file\(\) \{[\s\S]*?\n\}\n/.exec(netbase)?.[0]?.replaceAll('/etc/hosts', `${root}/etc/hosts`);
    const made = await execa('sh', ['-c', `${fn}\ncreate_hosts_file`], { reject: false });
    t.equal(made.exitCode, 0);
    t.equal(d.files.hosts, readFileSync(join(root, 'etc/hosts'), 'utf8'), `${p.name}: /etc/hosts as netbase writes it`);
    t.match(d.files['resolv.conf'], /^nameserver 127\.0\.0\.53$/m, `${p.name}: the stub resolv.conf`);
  }
  const lines = platforms.map((p) => {
    const d = platformDefaults(p);
    return 'files' in d ? /^hosts:\s+(.*)$/m.exec(d.files['nsswitch.conf'])?.[1] : undefined;
  });
  t.not(lines[0], lines.at(-1), `the hosts line differs between releases: ${lines.join(' | ')}`);
});

t.test('a fresh install of each platform: which resolver Go takes, with and without cgo', async (t) => {
  const platforms = platformsOrSkip(t, NAMES);
  const tcs = await oldestAndNewest(t);
  if (!platforms || !tcs) return;
  const doc = await runDoc(t, ['--scenario', FRESH, '--go', tcs[0]!.version, '--go', tcs[1]!.version, '--platform', `host,${NAMES.join(',')}`]);
  if (!doc) return;
  t.equal(doc.summary.pass, doc.summary.total, `${doc.summary.total} cells meet the scenario's expectations`);
  t.notOk(doc.cells.some((c) => !c.axes.platform), 'no host cell: the host has no platform defaults');
  const cell = (platform: string, go: string, cgo: string) => doc.cells.find((c) => c.axes.platform === platform && c.axes.go === go && c.axes.cgo === cgo && c.axes.netdns === 'default' && c.axes.stub === 'real');
  const newest = tcs[1]!.version;
  for (const p of NAMES) t.equal(cell(p, newest, '0')?.lookups[0]?.declaredPath, 'go', `${p}, CGO_ENABLED=0: Go's resolver, through the stub`);
  t.equal(cell('debian-11', newest, '1')?.lookups[0]?.declaredPath, 'go', "debian-11 (hosts: files dns), cgo build: still Go's resolver");
  t.equal(cell('debian-13', newest, '1')?.lookups[0]?.declaredPath, 'cgo', 'debian-13 (myhostname, resolve in the hosts line), cgo build: glibc');
});

t.test("exec --platform: a scenario's platform-default files and that release's resolved, for any command", async (t) => {
  const platforms = platformsOrSkip(t, ['debian-13']);
  if (!platforms) return;
  const r = await execa('node', [CLI, 'exec', FRESH, '--platform', 'debian-13', '--', 'cat', '/etc/nsswitch.conf', '/etc/resolv.conf'], { reject: false, timeout: 120_000 });
  t.equal(r.exitCode, 0, r.stderr.slice(-400));
  t.match(r.stdout, /^hosts: +files myhostname resolve \[!UNAVAIL=return\] dns$/m, "trixie's default hosts line");
  t.match(r.stdout, /^nameserver 127\.0\.0\.53$/m);
  t.match(r.stderr, /systemd-resolved \(systemd 257 /, "trixie's resolved on 127.0.0.53");
  const host = await execa('node', [CLI, 'exec', FRESH, '--', 'true'], { reject: false, timeout: 60_000 });
  t.equal(host.exitCode, 3);
  t.match(host.stderr, /its files are platform-default, which only a platform has; run it with --platform debian-12/);
});
