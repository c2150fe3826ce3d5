import t from 'tap';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { cellResult, runResult } from '../helpers/fixtures.js';

const run = runResult([
  cellResult('a:go1.19.8:cgo=0:netdns=default', 'pass'),
  cellResult('a:go1.19.8:cgo=1:netdns=default', 'fail', 'cgo'),
  cellResult('a:go1.27.4:cgo=0:netdns=default', 'slow'),
  cellResult('a:go1.27.4:cgo=1:netdns=default', 'skip'),
  cellResult('b:go1.27.4:cgo=1:netdns=cgo', 'error'),
]);

t.test('terminal: a grid per scenario, the failing cells with repro commands, no colour unless asked', async (t) => {
  const out = renderTerminal(run, false);
  t.match(out, /^a\n  cgo\/netdns\s+0\/def\s+1\/def\s*\n  go1\.19\.8\s+✓go\s+✗cgo\s*\n  go1\.27\.4\s+~go\s+-skip/m);
  t.match(out, /3 cell\(s\) not passing:\n  FAIL a:go1\.19\.8:cgo=1:netdns=default\n    host app\.example\.test: expected ok, got error "x"\n    repro: go-dns-harness repro 'a:go1\.19\.8:cgo=1:netdns=default'/);
  t.match(out, /5 cells: 1 pass, 1 fail, 1 slow, 1 skip, 1 error\n$/);
  t.notMatch(out, /\x1b\[/, 'no escape codes');
  t.match(renderTerminal(run, true), /\x1b\[/, 'colour when asked');
});

t.test('Markdown: overview pivot, a section per scenario, problems with repro', async (t) => {
  const md = renderMarkdown(run, new Map([['a', 'Scenario A | with a pipe']]));
  t.match(md, /\| scenario \| cgo 0 · default \| cgo 1 · default \| cgo 1 · netdns=cgo \|/);
  t.match(md, /\| \[a\]\(#a\) \| 1\/2 \| 0\/2 \|  \|/);
  t.match(md, /## a\n\nScenario A \\\| with a pipe\n/);
  t.match(md, /\| go1\.19\.8 \| ✓go \| ✗cgo \|/);
  t.match(md, /- fail `a:go1\.19\.8:cgo=1:netdns=default`: host app\.example\.test: expected ok, got error "x" — `go-dns-harness repro/);
});

t.test('cells where the wire disagrees with the declaration are marked and listed', async (t) => {
  const odd = cellResult('c:go1.27.4:cgo=1:netdns=default', 'pass');
  odd.observed = { path: 'glibc', evidence: ['EDNS size 1200 (glibc)'], disagrees: true };
  const r = runResult([odd]);
  t.match(renderTerminal(r, false), /go1\.27\.4\s+✓go!/);
  t.match(renderTerminal(r, false), /1 cell\(s\) where the wire disagrees with the declared path \(marked !\):\n  c:go1\.27\.4:cgo=1:netdns=default: declared go, observed glibc \(EDNS size 1200 \(glibc\)\)/);
  t.match(renderMarkdown(r), /\| go1\.27\.4 \| ✓go! \|/);
});

t.test('known-failing cells show as x and are counted apart', async (t) => {
  const known = cellResult('k:go1.27.4:cgo=0:netdns=default', 'xfail');
  const r = runResult([known, cellResult('k:go1.27.4:cgo=1:netdns=default', 'pass')]);
  t.match(renderTerminal(r, false), /go1\.27\.4\s+xgo\s+✓go/);
  t.match(renderTerminal(r, false), /2 cells: 1 pass, 0 fail, 0 slow, 0 skip, 0 error, 1 known failing\n$/);
  t.match(renderMarkdown(r), /\| go1\.27\.4 \| xgo \| ✓go \|/);
});
