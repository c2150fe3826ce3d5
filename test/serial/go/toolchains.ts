/** Toolchain discovery, --go resolution, and the toolchains command. */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { discoverToolchains, identify } from '../../../src/index.js';
import { parseMinor } from '../../../src/provision/toolchains.js';
import { resolveGiven } from '../../../src/go/toolchains.js';
import { oldestAndNewest } from '../../helpers/go.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

t.test('discovery and identification', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const all = await discoverToolchains();
  t.same(all.map((x) => x.minor), [...all.map((x) => x.minor)].sort((a, b) => a - b), 'sorted by version');
  t.equal(new Set(all.map((x) => x.goroot)).size, all.length, 'no GOROOT twice');
  const old = tcs[0]!;
  t.match(old, { version: /^go1\.19\.\d+$/, minor: 19, goos: 'linux', cgoDefault: /^[01]$/ });
  const again = await identify(old.go, 'given');
  t.equal(again.goroot, old.goroot, 'a relocated toolchain finds its own GOROOT');
  t.equal((await resolveGiven('1.19', all)).version, old.version, '--go 1.19');
  t.equal((await resolveGiven('go1.19', all)).version, old.version, '--go go1.19');
  t.equal((await resolveGiven(old.goroot, all)).goroot, old.goroot, '--go GOROOT');
  t.equal((await resolveGiven(old.go, all)).goroot, old.goroot, '--go path/to/go');
  await t.rejects(resolveGiven('1.99', all), { code: 'GDH_USAGE', name: 'UsageError', message: /--go 1\.99: not a Go version that was found \(go1\.19.*\), nor a GOROOT or go binary; fetch it with "go-dns-harness toolchains fetch 1\.99"/ });
  await t.rejects(identify('/bin/true', 'given'), { code: 'GDH_TOOLCHAIN', message: /\/bin\/true does not work as a Go toolchain/ });
  await t.rejects(resolveGiven('/bin/true', all), { code: 'GDH_USAGE', message: /^--go \/bin\/true: \/bin\/true does not work as a Go toolchain/ }, 'a path the user gave: theirs to fix');
});

t.test('version words', async (t) => {
  t.equal(parseMinor('1.22'), 22);
  t.equal(parseMinor('go1.22'), 22);
  t.equal(parseMinor('22'), 22);
  t.equal(parseMinor('newest'), 'newest');
  t.throws(() => parseMinor('1.22.3'), { message: /"1\.22\.3" is not a Go version; write it like 1\.22/ });
});

t.test('toolchains list and fetch, as a user runs them', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const list = await execa('node', [CLI, 'toolchains', 'list'], { reject: false, timeout: 300_000 });
  t.equal(list.exitCode, 0, list.stderr);
  t.match(list.stdout, /installed:\n\s+go1\.19\.\d+\s+\S+\s+\//);
  t.match(list.stdout, /fetchable from the distribution archive: .*1\.19\*.*1\.2\d/);
  const cached = await execa('node', [CLI, 'toolchains', 'fetch', '1.19'], { reject: false, timeout: 300_000 });
  t.equal(cached.exitCode, 0);
  t.equal(cached.stdout.trim(), `${tcs[0]!.version}\t${tcs[0]!.goroot}`, 'a cached toolchain is reused, not fetched again');
  t.notMatch(cached.stderr, /fetching/);
  const missing = await execa('node', [CLI, 'toolchains', 'fetch', '1.3'], { reject: false, timeout: 300_000 });
  t.equal(missing.exitCode, 3, 'what the archive offers is the environment');
  t.match(missing.stderr, /golang-1\.3-go is not in the archive reachable from this machine; it offers 1\.19.*/);
  t.notMatch(missing.stderr, /This is a bug/);
  const bad = await execa('node', [CLI, 'toolchains', 'frob'], { reject: false });
  t.equal(bad.exitCode, 2);
});
