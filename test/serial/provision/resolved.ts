/** systemd-resolved from the archive into the cache: real download, real binary, clear failures. */
import { execa } from 'execa';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { provisionResolved, resolvedDir } from '../../../src/provision/resolved.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

t.test('fetched once, then reused; the daemon runs with its own libsystemd-shared', async (t) => {
  const r = await provisionResolved();
  t.match(r.version, /^systemd \d+ \(/);
  for (const f of [r.binary, r.nssResolve, r.libDir]) t.ok(existsSync(f), f);
  t.equal(r.root, resolvedDir());
  const before = statSync(r.root).mtimeMs;
  const again = await provisionResolved();
  t.equal(again.version, r.version);
  t.equal(statSync(again.root).mtimeMs, before, 'the second call reuses the unpack');
  const cli = await execa('node', [CLI, 'resolved', 'fetch'], { reject: false });
  t.equal(cli.exitCode, 0, cli.stderr);
  t.match(cli.stdout, /^systemd \d+ .*\n  daemon .*\/lib\/systemd\/systemd-resolved\n/);
});

t.test('an incomplete unpack is refused with the way out', async (t) => {
  const cache = t.testdir({});
  mkdirSync(join(cache, 'systemd-resolved'));
  const r = await execa('node', [CLI, 'resolved', 'fetch'], { reject: false, env: { GDH_CACHE_DIR: cache } });
  t.equal(r.exitCode, 3, 'environment problem');
  t.match(r.stderr, /systemd-resolved is not a complete systemd-resolved unpack .*run with --force/);
  const bad = await execa('node', [CLI, 'resolved', 'start'], { reject: false });
  t.equal(bad.exitCode, 2);
  t.match(bad.stderr, /resolved: "start" is not one of fetch/);
});
