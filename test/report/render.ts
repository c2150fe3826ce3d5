import t from 'tap';
import { renderMarkdown } from '../../src/report/markdown.js';
import { GRID_COLUMNS, renderTerminal } from '../../src/report/terminal.js';
import type { CellResult } from '../../src/results/model.js';
import { cellResult, outcome, runResult } from '../helpers/fixtures.js';

const failing = (id: string, over: Partial<CellResult['lookups'][number]>, verdict: CellResult['verdict'] = 'pass', path: 'go' | 'cgo' = 'go'): CellResult => {
  const c = cellResult(id, verdict, path);
  c.lookups = [outcome({ ok: false, addrs: [], declaredPath: path, ...over })];
  return c;
};

const run = runResult([
  cellResult('a:go1.19.8:cgo=0:netdns=default', 'pass'),
  cellResult('a:go1.19.8:cgo=1:netdns=default', 'fail', 'cgo'),
  cellResult('a:go1.27.4:cgo=0:netdns=default', 'slow'),
  cellResult('a:go1.27.4:cgo=1:netdns=default', 'skip'),
  cellResult('b:go1.27.4:cgo=1:netdns=cgo', 'error'),
  failing('c:go1.27.4:cgo=0:netdns=default', { error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving', isTemporary: true }),
  failing('c:go1.27.4:cgo=1:netdns=cgo', { error: 'lookup app.example.test: Temporary failure in name resolution', isTemporary: true, elapsedMs: 5012 }, 'pass', 'cgo'),
]);

t.test('terminal: what happened first (code, path, time), the verdict mark apart, the legend, the failing cells with repro', async (t) => {
  const out = renderTerminal(run, false);
  t.match(out, /^a\n  cgo\/netdns\s+0\/def\s+1\/def\s*\n  go1\.19\.8\s+ok go\s+ok cgo ✗\s*\n  go1\.27\.4\s+ok go ~\s+skip/m, 'a cell that worked but did not meet its expectation reads "ok cgo ✗"');
  t.match(out, /^b\n  cgo\/netdns\s+1\/cgo\n  go1\.27\.4\s+harness!$/m);
  t.match(out, /^c\n  cgo\/netdns\s+0\/def\s+1\/cgo\n  go1\.27\.4\s+misb go\s+temp cgo 5s$/m, 'failures by their code, with the time class when it mattered');
  t.match(out, /  misb  misbehaving: Go's resolver got REFUSED/, 'the legend names the codes the grids use');
  t.match(out, /  temp  temp-fail: the C library gave up/);
  t.notMatch(out, /  nx    nxdomain/, 'and only those');
  t.match(out, /3 cell\(s\) not passing:\n  FAIL a:go1\.19\.8:cgo=1:netdns=default\n    host app\.example\.test: expected ok, got error "x"\n    repro: go-dns-harness repro 'a:go1\.19\.8:cgo=1:netdns=default'/);
  t.match(out, /7 cells: 3 pass, 1 fail, 1 slow, 1 skip, 1 error\n$/);
  t.notMatch(out, /\x1b\[/, 'no escape codes');
});

t.test('terminal colours: by outcome class, the verdict mark inverse', async (t) => {
  const out = renderTerminal(run, true);
  t.match(out, /\x1b\[32mok go\x1b\[39m/, 'green: worked');
  t.match(out, /\x1b\[31mmisb go\x1b\[39m/, 'red: failed');
  t.match(out, /\x1b\[32mok cgo \x1b\[39m\x1b\[7m✗\x1b\[27m/, 'a mismatch keeps the colour of what happened and adds an inverse ✗');
});

t.test('terminal: every grid fits 100 columns, with the widest labels and cells there are', async (t) => {
  const cells: CellResult[] = [];
  for (const go of ['go1.19.8', 'go1.27.4'])
    for (const cgo of ['0', '1'])
      for (const netdns of ['default', 'go', 'cgo']) {
        const id = `w:${go}:cgo=${cgo}:netdns=${netdns}:libc=musl-1.2.10:godebug=netedns0=0`;
        const c = failing(id, { error: 'lookup app.example.test: Temporary failure in name resolution', isTemporary: true, elapsedMs: 10_400 }, 'fail', 'cgo');
        c.axes = { ...c.axes, libc: 'musl-1.2.10', godebug: ['netedns0=0'] };
        c.lookups.push(outcome({ ok: false, error: 'lookup other.example.test: no such host', isNotFound: true, declaredPath: 'go' }));
        c.observed = { path: 'glibc', evidence: [], disagrees: true };
        cells.push(c);
      }
  const gridOf = (cs: CellResult[]): string => {
    const out = renderTerminal(runResult(cs), false);
    return out.slice(0, out.indexOf('Each cell:'));
  };
  const fits = (grid: string): boolean => grid.split('\n').every((line) => [...line].length <= GRID_COLUMNS);
  const grid = gridOf(cells);
  t.ok(fits(grid), grid);
  t.match(grid, /^  go1\.19\.8 musl-1\.2\.10 netedns0=0  temp\/nx c\/g!glibc 10s ✗  /m, 'the tight form: the path as letters');
  t.ok((grid.match(/^  go1\.19\.8 /gm)?.length ?? 0) >= 2, 'columns that do not fit go to a further table below');
  t.equal(grid.match(/temp\/nx/g)?.length, 12, 'and no cell is lost');
  for (const c of cells) c.axes = { ...c.axes, tags: ['netcgo'], goModGo: '1.18', stub: 'passthrough' };
  const wider = gridOf(cells);
  t.ok(fits(wider), 'with every extra axis in the label too');
  t.match(wider, /go1\.19\.8 musl-1\.2\.10 stub=passthrough netedns0=0 tags=netcgo go\.mod 1\.18  temp/);
});

t.test('Markdown: the legend, an overview by outcome class, a section per scenario with its "what works" paragraph', async (t) => {
  const md = renderMarkdown(run, new Map([['a', 'Scenario A | with a pipe']]));
  t.match(md, /\| `misbehaving` \| 🔴 fails \| Go's resolver got REFUSED, SERVFAIL, FORMERR or a bad reply: "server misbehaving" \|/);
  t.match(md, /\| scenario \| cgo 0 · default \| cgo 1 · default \| cgo 1 · netdns=cgo \|/);
  t.match(md, /\| \[a\]\(#a\) \| 🟢2 \| 🟢1 -1 ✗1 \|  \|/, 'counts per class, skipped cells and unmet expectations apart');
  t.match(md, /\| \[c\]\(#c\) \| 🔴1 \|  \| 🔴1 \|/);
  t.match(md, /## a\n\nScenario A \\\| with a pipe\n/);
  t.match(md, /\| go1\.19\.8 \| 🟢 ok go \| 🟢 ok cgo ✗ \|/);
  t.match(md, /\| go1\.27\.4 \| 🔴 misbehaving go \| 🔴 temp-fail cgo 5\.0s \|/);
  t.match(md, /What works: nothing; no resolver and setting in this run got a working lookup\. What fails: Go's resolver: misbehaving on Go 1\.27 only\. glibc via cgo: temp-fail after 5\.0s on Go 1\.27 only\./);
  t.match(md, /- fail `a:go1\.19\.8:cgo=1:netdns=default`: host app\.example\.test: expected ok, got error "x" — `go-dns-harness repro/);
});

t.test('cells where the wire disagrees with the declaration are marked and listed', async (t) => {
  const odd = cellResult('c:go1.27.4:cgo=1:netdns=default', 'pass');
  odd.observed = { path: 'glibc', evidence: ['EDNS size 1200 (glibc)'], disagrees: true };
  const r = runResult([odd]);
  t.match(renderTerminal(r, false), /go1\.27\.4\s+ok go!glibc/);
  t.match(renderTerminal(r, false), /1 cell\(s\) where the wire disagrees with the declared path \(marked !\):\n  c:go1\.27\.4:cgo=1:netdns=default: declared go, observed glibc \(EDNS size 1200 \(glibc\)\)/);
  t.match(renderMarkdown(r), /\| go1\.27\.4 \| 🟢 ok go!glibc \|/);
});

t.test('known-failing cells show an x after what happened and are counted apart', async (t) => {
  const known = cellResult('k:go1.27.4:cgo=0:netdns=default', 'xfail');
  const r = runResult([known, cellResult('k:go1.27.4:cgo=1:netdns=default', 'pass')]);
  t.match(renderTerminal(r, false), /go1\.27\.4\s+ok go x\s+ok go/);
  t.match(renderTerminal(r, false), /2 cells: 1 pass, 0 fail, 0 slow, 0 skip, 0 error, 1 known failing\n$/);
  t.match(renderMarkdown(r), /\| go1\.27\.4 \| 🟢 ok go x \| 🟢 ok go \|/);
});
