/** The musl axis's pure parts: versions, the wrapper rewrite, the axis in cells, ids and `when`. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { compareVersions, upstreamVersion, writeWrapper, type MuslInstall } from '../../src/provision/musl.js';
import { libcMatches } from '../../src/plan/axes.js';
import { DEFAULT_AXES, cellId, parseCellId, planCells } from '../../src/plan/cells.js';
import type { CellAxes } from '../../src/results/model.js';
import { scenario, toolchain } from '../helpers/fixtures.js';

t.test('versions: the Debian revision and epoch go; dotted versions compare by number', async (t) => {
  t.equal(upstreamVersion('1.2.3-1'), '1.2.3');
  t.equal(upstreamVersion('1.2.5-3.1~deb13u1'), '1.2.5');
  t.equal(upstreamVersion('1:1.2.6-2'), '1.2.6');
  t.equal(compareVersions('1.2.3', '1.2.4'), -1);
  t.equal(compareVersions('1.2.10', '1.2.9'), 1);
  t.equal(compareVersions('1.2.4', '1.2.4'), 0);
});

t.test("the wrapper's specs point into the unpack, not at /usr", async (t) => {
  const specs = '*cpp_options:\n-nostdinc -isystem /usr/include/x86_64-linux-musl -isystem include%s\n*link_libgcc:\n-L/usr/lib/x86_64-linux-musl -L .%s\n*link:\n-dynamic-linker /lib/ld-musl-x86_64.so.1\n';
  const root = t.testdir({ usr: { lib: { 'x86_64-linux-musl': { 'musl-gcc.specs': specs } } } });
  const gcc = writeWrapper(root);
  const written = readFileSync(join(root, 'gdh-musl-gcc.specs'), 'utf8');
  t.match(written, `-isystem ${root}/usr/include/x86_64-linux-musl `);
  t.match(written, `-L${root}/usr/lib/x86_64-linux-musl `);
  t.notMatch(written, / \/usr\/(lib|include)\//, 'no path left in the system directories');
  t.match(written, '-dynamic-linker /lib/ld-musl-x86_64.so.1', 'the loader path is left alone (builds are static)');
  t.match(readFileSync(gcc, 'utf8'), `-specs "${root}/gdh-musl-gcc.specs"`);
  t.equal(statSync(gcc).mode & 0o111, 0o111, 'executable');
  t.throws(() => writeWrapper(t.testdir({})), { message: /holds no usr\/lib\/\*-linux-musl\/musl-gcc\.specs/ });
});

const musl = (version: string): MuslInstall => ({ version, name: `musl-${version}`, packageVersion: `${version}-1`, root: `/c/musl-${version}`, gcc: `/c/musl-${version}/gdh-musl-gcc` });

t.test('the libc axis: CGO_ENABLED=1 cells only, in the id (glibc cells keep theirs), parsed back', async (t) => {
  const cells = planCells([scenario({ name: 's' })], [toolchain(27)], { ...DEFAULT_AXES, netdns: ['go'], libc: ['glibc', musl('1.2.3'), musl('1.2.6')] });
  t.same(cells.map((c) => c.id), ['s:go1.27.1:cgo=0:netdns=go', 's:go1.27.1:cgo=1:netdns=go', 's:go1.27.1:cgo=1:netdns=go:libc=musl-1.2.3', 's:go1.27.1:cgo=1:netdns=go:libc=musl-1.2.6']);
  t.equal(cells[2]?.musl?.gcc, '/c/musl-1.2.3/gdh-musl-gcc', 'the cell carries the musl its probe is built with');
  t.equal(parseCellId('s:go1.27.1:cgo=1:netdns=go:libc=musl-1.2.3').libc, 'musl-1.2.3');
  t.throws(() => parseCellId('s:go1.27.1:cgo=0:netdns=go:libc=musl-1.2.3'), { message: /libc=musl-1\.2\.3 needs cgo=1/ });
  t.throws(() => parseCellId('s:go1.27.1:cgo=1:netdns=go:libc=uclibc'), { message: /not a musl version/ });
  t.equal(cellId({ ...(cells[3]?.axes as CellAxes), stub: 'real' }), 's:go1.27.1:cgo=1:netdns=go:libc=musl-1.2.6:stub=real');
});

t.test('when.libc: glibc, any musl, one musl, or a musl range; CGO_ENABLED=0 has no libc', async (t) => {
  const axes = (cgo: '0' | '1', libc?: string): CellAxes => ({ scenario: 's', go: 'go1.27.1', goMinor: 27, cgo, netdns: 'go', godebug: [], tags: [], goModGo: '1.19', ...(libc ? { libc } : {}) });
  t.ok(libcMatches('glibc', axes('1')));
  t.notOk(libcMatches('glibc', axes('0')), 'no libc in a CGO_ENABLED=0 cell');
  t.notOk(libcMatches('musl', axes('1')));
  t.ok(libcMatches('musl', axes('1', 'musl-1.2.3')));
  t.ok(libcMatches('musl-1.2.3', axes('1', 'musl-1.2.3')));
  t.notOk(libcMatches('musl-1.2.5', axes('1', 'musl-1.2.3')));
  t.ok(libcMatches('musl<1.2.4', axes('1', 'musl-1.2.3')));
  t.notOk(libcMatches('musl<1.2.4', axes('1', 'musl-1.2.5')));
  t.ok(libcMatches('musl>=1.2.4', axes('1', 'musl-1.2.6')));
  t.notOk(libcMatches('musl>=1.2.4', axes('1')), 'a range speaks of musl only');
});
