/**
 * The README contract's first run: with no Go toolchain anywhere, `run` fetches the distribution's
 * default golang from the machine's own apt mirror and runs the matrix with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

t.test('no toolchain found: the default golang is fetched, then the cells run', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'gdh-empty-cache-'));
  t.teardown(() => rmSync(cache, { recursive: true, force: true }));
  // A PATH without go, an empty cache: nothing to discover (unless /usr/lib/go-* exists here).
  const env = { GDH_CACHE_DIR: cache, PATH: '/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin', NO_COLOR: '1' };
  const found = await execa('sh', ['-c', 'ls -d /usr/lib/go-1.* /usr/local/go 2>/dev/null'], { reject: false });
  if (found.stdout.trim()) {
    t.skip(`a system Go exists (${found.stdout.trim()}), so nothing would be fetched`, () => {});
    return;
  }
  const r = await execa('node', [CLI, 'run', '--scenario', 'hosts-only', '--cgo', '0', '--netdns', 'go', '--out', join(cache, 'out')], { env, reject: false, timeout: 600_000 });
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stderr, /no Go toolchain found; fetching the distribution's default \((1\.\d+|newest)\)\. Add versions with: go-dns-harness toolchains fetch/);
  t.match(r.stdout, /1 cells: 1 pass/);
});
