/** Platforms without the archive: the cache's word on each, the links an unpack needs, the build flags. */
import { existsSync, lstatSync, mkdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { platformCgoEnv, platformsForRun, readPlatform, relocateLinks } from '../../src/provision/platform.js';

t.test('absolute links in an unpack point into it, and a merged-/usr release gets /lib and /lib64', async (t) => {
  const root = t.testdir({ usr: { lib: { 'x86_64-linux-gnu': { 'libc.so.6': 'libc' } }, lib64: {} } });
  symlinkSync('/usr/lib/x86_64-linux-gnu/libc.so.6', join(root, 'usr/lib/x86_64-linux-gnu/libc.so'));
  symlinkSync('libc.so.6', join(root, 'usr/lib/x86_64-linux-gnu/relative.so'));
  t.equal(relocateLinks(root), 1, 'one absolute link fixed');
  t.equal(readlinkSync(join(root, 'usr/lib/x86_64-linux-gnu/libc.so')), 'libc.so.6', 'now relative');
  t.equal(realpathSync(join(root, 'usr/lib/x86_64-linux-gnu/libc.so')), realpathSync(join(root, 'usr/lib/x86_64-linux-gnu/libc.so.6')), 'and inside the unpack');
  t.equal(readlinkSync(join(root, 'usr/lib/x86_64-linux-gnu/relative.so')), 'libc.so.6', 'a relative one is left alone');
  t.equal(readlinkSync(join(root, 'lib')), 'usr/lib');
  t.equal(readlinkSync(join(root, 'lib64')), 'usr/lib64');
  t.notOk(existsSync(join(root, 'bin')) || lstatSync(root).isSymbolicLink(), 'no link to a directory the unpack lacks');
});

t.test("cgo flags: the platform's sysroot, its crt files and libraries first, its loader and an RPATH", async (t) => {
  const env = platformCgoEnv({ root: '/p', loader: '/p/lib64/ld-linux-x86-64.so.2', libDirs: ['/p/lib/x86_64-linux-gnu', '/p/usr/lib/x86_64-linux-gnu'] });
  t.match(env.CGO_CFLAGS, /^--sysroot=\/p /);
  const ld = env.CGO_LDFLAGS!.split(' ');
  t.ok(ld.includes('-B/p/usr/lib/x86_64-linux-gnu') && ld.includes('-L/p/lib/x86_64-linux-gnu'), 'crt files and libraries from the platform');
  t.ok(ld.includes('-Wl,--dynamic-linker=/p/lib64/ld-linux-x86-64.so.2'), 'its loader');
  t.ok(ld.includes('-Wl,--disable-new-dtags') && ld.includes('-Wl,-rpath=/p/lib/x86_64-linux-gnu:/p/usr/lib/x86_64-linux-gnu'), 'an RPATH, which dlopen of the NSS modules honours');
});

t.test('a platform the cache lacks, or holds broken, says why and what to run', async (t) => {
  const cache = t.testdir({});
  const saved = process.env.GDH_CACHE_DIR;
  process.env.GDH_CACHE_DIR = cache;
  t.teardown(() => {
    if (saved === undefined) delete process.env.GDH_CACHE_DIR;
    else process.env.GDH_CACHE_DIR = saved;
  });
  t.match(readPlatform('debian-11'), { unavailable: /^debian-11 is not fetched \(no \S+gdh-platform\.json\); run: go-dns-harness platform fetch debian-11$/ });
  mkdirSync(join(cache, 'platforms/debian-12'), { recursive: true });
  writeFileSync(join(cache, 'platforms/debian-12/gdh-platform.json'), '{ not json');
  t.match(readPlatform('debian-12'), { unavailable: /is not readable JSON .*platform fetch debian-12 --force$/ });
  writeFileSync(join(cache, 'platforms/debian-12/gdh-platform.json'), JSON.stringify({ layout: 0 }));
  t.match(readPlatform('debian-12'), { unavailable: /fetched by an older harness \(layout 0, want 2\); run: go-dns-harness platform fetch debian-12 --force$/ });
  t.throws(() => readPlatform('debian-7'), { message: /"debian-7" is not a platform \(debian-11, debian-12, debian-13, debian-sid\)/, code: 'GDH_PLATFORM' });
  const forRun = await platformsForRun(['host', 'debian-11', 'debian-12'], false);
  t.same([...forRun.keys()], ['debian-11', 'debian-12'], 'the host needs nothing');
  t.ok([...forRun.values()].every((p) => 'unavailable' in p), 'without fetching, each says why');
});
