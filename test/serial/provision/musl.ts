/**
 * musl beside glibc, for real: fetched from the archive, a static cgo probe built against the
 * oldest and newest musl, and the difference musl 1.2.4 made (TCP fallback) measured in a sandbox.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { buildProbe, isSkip } from '../../../src/go/probe-build.js';
import { compareVersions } from '../../../src/provision/musl.js';
import type { RunResult } from '../../../src/results/model.js';
import { oldestAndNewest } from '../../helpers/go.js';
import { muslOrSkip } from '../../helpers/musl.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

t.test('musl from the archive: listed, and a static cgo probe built against it', async (t) => {
  const musl = await muslOrSkip(t);
  const tcs = await oldestAndNewest(t);
  if (!musl || !tcs) return;
  t.ok(musl.some((m) => compareVersions(m.version, '1.2.4') < 0) && musl.some((m) => compareVersions(m.version, '1.2.4') >= 0), `versions both sides of 1.2.4: ${musl.map((m) => m.name).join(', ')}`);
  const list = await execa('node', [CLI, 'musl', 'list'], { reject: false });
  t.equal(list.exitCode, 0);
  for (const m of musl) t.match(list.stdout, new RegExp(`^${m.name}  \\(package ${m.packageVersion.replace(/[.+~]/g, '\\$&')}\\)  CC=\\S+gdh-musl-gcc$`, 'm'));
  const newest = musl.at(-1)!;
  const probe = await buildProbe({ toolchain: tcs[1]!, cgo: '1', tags: [], goModGo: '1.19', musl: newest });
  if (isSkip(probe)) return t.fail(probe.skipped);
  const info = await execa(tcs[1]!.go, ['version', '-m', probe.path]);
  t.match(info.stdout, /\bCGO_ENABLED=1\b/, 'a cgo build');
  const bytes = readFileSync(probe.path);
  t.notOk(bytes.includes(Buffer.from('/lib64/ld-linux-x86-64.so.2')) || bytes.includes(Buffer.from('ld-musl-x86_64.so.1')), 'no dynamic loader: one static binary');
  t.notOk(bytes.includes(Buffer.from('GLIBC_2.')), 'no glibc symbol versions in it');
  const plain = await buildProbe({ toolchain: tcs[1]!, cgo: '1', tags: [], goModGo: '1.19' });
  if (!isSkip(plain)) t.ok(readFileSync(plain.path).includes(Buffer.from('GLIBC_2.')), 'while the glibc build has them (the check can fail)');
  const bad = await execa('node', [CLI, 'run', '--libc', 'musl-0.9.9', '--scenario', 'musl-truncated-tcp'], { reject: false });
  t.equal(bad.exitCode, 2);
  t.match(bad.stderr, /--libc: "musl-0\.9\.9" is not glibc, musl, or a musl in the cache \(musl-/);
});

t.test('the libc axis measured: TCP fallback from musl 1.2.4 on, search and parallel servers, in every musl', async (t) => {
  const musl = await muslOrSkip(t);
  const tcs = await oldestAndNewest(t);
  if (!musl || !tcs) return;
  const dir = t.testdir({});
  const r = await execa('node', [CLI, 'run', '--scenario', 'musl-*', '--go', tcs[1]!.version, '--cgo', '1', '--netdns', 'cgo', '--libc', 'glibc,musl', '--out', dir], { reject: false, timeout: 600_000 });
  t.equal(r.exitCode, 0, r.stdout.split('\n').filter((l) => /FAIL|ERROR/.test(l)).join('\n'));
  const doc = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
  t.equal(doc.summary.pass, doc.summary.total, `${doc.summary.total} cells pass`);
  const cell = (scenario: string, libc: string) => doc.cells.find((c) => c.axes.scenario === scenario && (c.axes.libc ?? 'glibc') === libc);
  const old = musl[0]!.name;
  const newest = musl.at(-1)!.name;
  t.equal(cell('musl-truncated-tcp', old)?.lookups[0]?.isNotFound, true, `${old}: no TCP fallback, "no such host"`);
  t.equal(cell('musl-truncated-tcp', newest)?.lookups[0]?.ok, true, `${newest}: TCP fallback`);
  t.same(cell('musl-truncated-tcp', newest)?.libc, { name: 'musl', version: musl.at(-1)!.version }, 'the cell records its libc and version');
  t.match(cell('musl-truncated-tcp', 'glibc')?.libc, { name: 'glibc', version: /^\d+\.\d+$/ });
  t.equal(cell('musl-truncated-tcp', newest)?.observed.path, 'musl', 'the C-library evidence on the wire is labelled musl');
  t.notOk(cell('musl-truncated-tcp', newest)?.queries.flat().some((q) => q.edns), 'musl sends no EDNS');
  t.equal(cell('musl-first-ns-slow', newest)?.lookups[0]?.addrs?.[0], '192.0.2.20', 'musl took the fast second server');
  t.equal(cell('musl-first-ns-slow', 'glibc')?.lookups[0]?.addrs?.[0], '192.0.2.10', 'glibc waited for the first');
  const md = readFileSync(join(dir, 'results.md'), 'utf8');
  t.match(md, new RegExp(`\\| ${tcs[1]!.version} ${newest.replace(/\./g, '\\.')} \\|`), 'the tables have a row per libc');
  t.match(md, /## Go's resolver, glibc and musl \(go1\.\d+\.\d+\)\n/, 'and the libc table');
});
