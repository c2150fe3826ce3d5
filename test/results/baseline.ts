/** The behaviour baseline: written from a run, read back, and a changed behaviour fails the check. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { baselineFails, baselineFrom, baselineKey, checkBaseline, parseBaseline, serializeBaseline } from '../../src/results/baseline.js';
import type { QueryRecord } from '../../src/dns/query-log.js';
import type { CellResult, RunResult } from '../../src/results/model.js';
import { cellResult, outcome, runResult } from '../helpers/fixtures.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const q = (qtype: string): QueryRecord => ({
  seq: 1, time: 1, transport: 'udp', client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 }, length: 40,
  qname: 'app.example.test', qtype, edns: { udpSize: 1232, version: 0, do: false, options: [] }, rule: -1, action: 'answer', matched: [], delayMs: 0, response: null,
});

function run(): RunResult {
  const cells: CellResult[] = [];
  for (const go of ['go1.19.8', 'go1.27.4'])
    for (const cgo of ['0', '1']) {
      const path = cgo === '1' && go === 'go1.19.8' ? 'cgo' : 'go';
      const c = cellResult(`s:${go}:cgo=${cgo}:netdns=default`, 'pass', path);
      c.lookups = [outcome({ declaredPath: path, addrs: ['192.0.2.10', '2001:db8::10'] })];
      c.queries = [[q('A'), q('AAAA')]];
      cells.push(c);
    }
  cells.push(cellResult('s:go1.27.4:cgo=1:netdns=cgo', 'skip', 'cgo'));
  return runResult(cells);
}

t.test('keys drop the patch release; skipped cells have no behaviour to keep', async (t) => {
  t.equal(baselineKey(cellResult('s:go1.27.4:cgo=1:netdns=default:godebug=netedns0=0', 'pass')), 's:go1.27:cgo=1:netdns=default:godebug=netedns0=0');
  const b = baselineFrom(run());
  t.same(Object.keys(b.cells), ['s:go1.19:cgo=0:netdns=default', 's:go1.19:cgo=1:netdns=default', 's:go1.27:cgo=0:netdns=default', 's:go1.27:cgo=1:netdns=default']);
  t.equal(b.from.cells, 4);
  t.same(parseBaseline(serializeBaseline(b), 'b.json'), b, 'written and read back unchanged');
  t.equal(serializeBaseline(b).split('\n').filter((l) => l.startsWith('  "s:')).length, 4, 'one line per cell');
});

t.test('the same behaviour passes; a patch release is compared with its minor', async (t) => {
  const b = baselineFrom(run());
  const later = run();
  for (const c of later.cells) c.id = c.id.replace('go1.27.4', 'go1.27.5');
  const r = checkBaseline(later, b);
  t.same([r.compared, r.changed.length, r.unknown.length, r.unmeasured.length], [4, 0, 0, 1]);
  t.notOk(baselineFails(r));
});

t.test('a flipped path, one more query round, an extra retry second each fail; so does a cell it has not seen', async (t) => {
  const b = baselineFrom(run());
  const changed = run();
  changed.cells[1]!.lookups[0]!.declaredPath = 'go';
  changed.cells[1]!.observed = { path: 'go', evidence: [], disagrees: false };
  changed.cells[2]!.queries[0]!.push(q('A'), q('AAAA'));
  changed.cells[3]!.lookups[0]!.elapsedMs = 1010;
  changed.cells.push(cellResult('new:go1.27.4:cgo=0:netdns=go', 'pass'));
  const r = checkBaseline(changed, b);
  t.same(r.changed.map((c) => [c.key, c.changes.map((x) => x.field)]), [
    ['s:go1.19:cgo=1:netdns=default', ['path']],
    ['s:go1.27:cgo=0:netdns=default', ['wire']],
    ['s:go1.27:cgo=1:netdns=default', ['ms']],
  ]);
  t.same(r.unknown, ['new:go1.27:cgo=0:netdns=go']);
  t.ok(baselineFails(r));
});

t.test('a bad baseline file is named with what is wrong and how to write one', async (t) => {
  t.throws(() => parseBaseline('{', 'b.json'), /^b\.json:1:2: not JSON \(close brace expected\); write it again with: go-dns-harness baseline write RESULTS\.json --out b\.json/);
  t.throws(() => parseBaseline('{"version":2,"from":{},"cells":{}}', 'b.json'), /^b\.json:1:12: version: 2 is not valid; /);
  const b = JSON.parse(serializeBaseline(baselineFrom(run())));
  b.cells['s:go1.19:cgo=0:netdns=default'].ms = 'fast';
  t.throws(() => parseBaseline(JSON.stringify(b), 'b.json'), /b\.json:\d+:\d+: cells\["s:go1\.19:cgo=0:netdns=default"\]\.ms: "fast" is not valid; /);
});

t.test('the CLI: baseline write, baseline check, exit codes', async (t) => {
  const dir = t.testdir({});
  const results = join(dir, 'results.json');
  const base = join(dir, 'baseline.json');
  writeFileSync(results, JSON.stringify(run()));
  const w = await execa('node', [CLI, 'baseline', 'write', results, '--out', base], { reject: false });
  t.equal(w.exitCode, 0, w.stderr);
  t.match(w.stderr, /wrote .*baseline\.json: 4 cells/);
  const ok = await execa('node', [CLI, 'baseline', 'check', results, '--baseline', base], { reject: false });
  t.equal(ok.exitCode, 0);
  t.match(ok.stdout, /4 cells compared, 0 changed, 0 not in the baseline, 1 not measured/);
  const flipped = run();
  flipped.cells[0]!.lookups[0]!.declaredPath = 'cgo';
  writeFileSync(results, JSON.stringify(flipped));
  const bad = await execa('node', [CLI, 'baseline', 'check', results, '--baseline', base], { reject: false });
  t.equal(bad.exitCode, 1);
  t.match(bad.stdout, /CHANGED s:go1\.19:cgo=0:netdns=default\n    path: go\/go -> cgo\/go\n    repro: go-dns-harness repro 's:go1\.19\.8:cgo=0:netdns=default'/);
  t.match(bad.stdout, /A deliberate change\? Update the baseline: go-dns-harness baseline write RESULTS\.json --out /);
  const missing = await execa('node', [CLI, 'baseline', 'check', results, '--baseline', join(dir, 'nope.json')], { reject: false });
  t.equal(missing.exitCode, 2);
  t.match(missing.stderr, /nope\.json: cannot read the baseline \(ENOENT\)/);
  const usage = await execa('node', [CLI, 'baseline', 'update', results], { reject: false });
  t.equal(usage.exitCode, 2);
});
