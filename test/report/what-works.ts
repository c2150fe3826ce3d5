import t from 'tap';
import { versionRanges, whatWorks } from '../../src/report/what-works.js';
import type { CellResult } from '../../src/results/model.js';
import { cellResult, outcome } from '../helpers/fixtures.js';

const GO = ['go1.19.8', 'go1.21.13', 'go1.22.12', 'go1.23.5', 'go1.27.4'];
const misbehaving = { ok: false, addrs: [], error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving', isTemporary: true };
const notFound = { ok: false, addrs: [], error: 'lookup app.example.test: no such host', isNotFound: true };

/**
 * An EDNS-intolerant stub as measured: Go's resolver fails unless GODEBUG=netedns0=0 (known from
 * 1.21), glibc says not found, musl works; CGO_ENABLED=1 with netdns unset takes cgo on 1.19 only.
 */
function ednsFormerr(): CellResult[] {
  const out: CellResult[] = [];
  for (const go of GO) {
    const minor = Number(go.split('.')[1]);
    for (const godebug of [[], ['netedns0=0']])
      for (const [cgo, netdns, libc] of [['0', 'default'], ['0', 'go'], ['1', 'default'], ['1', 'go'], ['1', 'cgo'], ['1', 'cgo', 'musl-1.2.3'], ['1', 'cgo', 'musl-1.2.5']] as const) {
        const path = cgo === '1' && (netdns === 'cgo' || (netdns === 'default' && minor === 19)) ? 'cgo' : 'go';
        const c = cellResult(`edns:${go}:cgo=${cgo}:netdns=${netdns}${libc ? `:libc=${libc}` : ''}${godebug.length ? ':godebug=netedns0=0' : ''}`, 'pass', path);
        c.axes.godebug = godebug;
        if (libc) c.axes.libc = libc;
        const works = path === 'cgo' ? Boolean(libc) : godebug.length > 0 && minor >= 21;
        c.lookups = [outcome({ declaredPath: path, ...(works ? {} : path === 'cgo' ? notFound : misbehaving) })];
        out.push(c);
      }
  }
  return out;
}

t.test('ranges over the Go versions of the run', async (t) => {
  const all = [19, 21, 22, 23, 27];
  t.equal(versionRanges(all, all), 'every Go version');
  t.equal(versionRanges([22, 23, 27], all), 'Go ≥ 1.22');
  t.equal(versionRanges([19, 21], all), 'Go ≤ 1.21');
  t.equal(versionRanges([19], all), 'Go 1.19 only');
  t.equal(versionRanges([21, 22], all), 'Go 1.21–1.22');
  t.equal(versionRanges([19, 22, 23], all), 'Go 1.19, 1.22–1.23', 'a gap splits the range');
});

t.test('the EDNS-intolerant stub: what works, what fails, what a default build takes', async (t) => {
  const p = whatWorks(ednsFormerr());
  t.match(p, /^What works: Go's resolver with GODEBUG=netedns0=0 on Go ≥ 1\.21\. musl 1\.2\.3, 1\.2\.5 via cgo on every Go version\. /);
  t.match(p, /What fails: Go's resolver: misbehaving on every Go version\. Go's resolver with GODEBUG=netedns0=0: misbehaving on Go 1\.19 only\. glibc via cgo: nxdomain on every Go version\. /);
  t.notMatch(p, /glibc via cgo with GODEBUG/, 'a setting that changes nothing for a resolver is not named');
  t.match(p, /With netdns unset: CGO_ENABLED=0 takes Go's resolver on every Go version; CGO_ENABLED=1 takes cgo on Go 1\.19 only, Go's resolver on Go ≥ 1\.21\.$/);
});

t.test('the paragraph follows the cells: change one and it says so', async (t) => {
  const cells = ednsFormerr();
  for (const c of cells) if (c.axes.libc === 'musl-1.2.3') c.lookups = [outcome({ declaredPath: 'cgo', ...notFound })];
  const p = whatWorks(cells);
  t.match(p, /musl 1\.2\.5 via cgo on every Go version/);
  t.match(p, /glibc and musl 1\.2\.3 via cgo: nxdomain on every Go version/);
});

t.test('slow, partly, every resolver, nothing measured', async (t) => {
  const slow = GO.map((go) => {
    const c = cellResult(`s:${go}:cgo=0:netdns=default`, 'pass');
    c.lookups = [outcome({ elapsedMs: go === 'go1.27.4' ? 5010 : 8 })];
    return c;
  });
  t.match(whatWorks(slow), /^What works: Go's resolver on Go ≤ 1\.23; on Go 1\.27 only \(slowly \(5\.0s\)\)\./);
  const fine = GO.map((go) => cellResult(`f:${go}:cgo=1:netdns=cgo`, 'pass', 'cgo'));
  t.match(whatWorks(fine), /^What works: every resolver and setting in this run, on every Go version\./);
  t.equal(whatWorks([cellResult('x:go1.27.4:cgo=0:netdns=default', 'skip')]), '', 'skipped cells say nothing');
  t.match(whatWorks(fine.slice(4), [19, 27]), /on Go 1\.27 only/, 'ranges are over the run\'s Go versions, not the scenario\'s');
});
