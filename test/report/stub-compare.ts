/** The real stub against its stand-ins: outcomes in words, sameness, grouping and the Markdown. */
import t from 'tap';
import { compareStubs, outcomeText, renderStubComparison, sameOutcome } from '../../src/report/stub-compare.js';
import type { CellResult } from '../../src/results/model.js';
import { cellResult, outcome, runResult } from '../helpers/fixtures.js';

function cell(go: string, stub: 'real' | 'emulated' | 'passthrough', o: Partial<CellResult['lookups'][number]>): CellResult {
  const c = cellResult(`s:${go}:cgo=0:netdns=go:stub=${stub}`, 'pass');
  c.axes.stub = stub;
  c.lookups = [outcome(o)];
  return c;
}

t.test('outcomes in words leave out ephemeral ports and the lookup prefix', async (t) => {
  t.equal(outcomeText(cell('go1.27.1', 'real', { ok: false, addrs: [], error: 'lookup app.example.test on 127.0.0.53:53: read udp 127.0.0.1:41234->127.0.0.53:53: i/o timeout', isTimeout: true, isTemporary: true })), 'timeout: read udp 127.0.0.1:*->127.0.0.53:53: i/o timeout');
  t.equal(outcomeText(cell('go1.27.1', 'real', { addrs: ['2001:db8::10', '192.0.2.10'] })), 'ok 192.0.2.10 2001:db8::10');
  t.equal(outcomeText(cell('go1.27.1', 'real', { addrs: ['1', '2', '3', '4', '5'] })), 'ok, 5 addresses');
});

t.test('the same words within 0.5 s or 20% are the same outcome', async (t) => {
  const a = cell('go1.27.1', 'real', { elapsedMs: 10_000 });
  t.ok(sameOutcome(a, cell('go1.27.1', 'emulated', { elapsedMs: 10_400 })));
  t.notOk(sameOutcome(a, cell('go1.27.1', 'emulated', { elapsedMs: 15_000 })), '5 s later is not');
  t.notOk(sameOutcome(a, cell('go1.27.1', 'emulated', { ok: false, error: 'server misbehaving', elapsedMs: 10_000 })));
  t.ok(sameOutcome(cell('go1.27.1', 'real', { elapsedMs: 5 }), cell('go1.27.1', 'emulated', { elapsedMs: 400 })), 'small times differ by up to 0.5 s');
});

t.test('rows merge Go versions that read the same, counts and marks say where a stand-in differs', async (t) => {
  const run = runResult([
    cell('go1.19.8', 'real', {}),
    cell('go1.19.8', 'emulated', {}),
    cell('go1.19.8', 'passthrough', { ok: false, error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving' }),
    cell('go1.27.4', 'real', {}),
    cell('go1.27.4', 'emulated', {}),
    cell('go1.27.4', 'passthrough', { ok: false, error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving' }),
    cellResult('plain:go1.27.4:cgo=0:netdns=go', 'pass'),
  ]);
  const [c, ...rest] = compareStubs(run);
  t.equal(rest.length, 0, 'scenarios without the stub axis are left out');
  t.same(c?.modes, ['real', 'emulated', 'passthrough']);
  t.same(c?.counts, { emulated: { compared: 2, differing: 0 }, passthrough: { compared: 2, differing: 2 } });
  t.equal(c?.rows.length, 1);
  t.same(c?.rows[0]?.go, ['go1.19.8', 'go1.27.4']);
  const md = renderStubComparison(run, new Map([['s', 'A scenario.']]));
  t.match(md, /\| \[s\]\(#s-stubs\) \| 2\/2 \| 0\/2 ≠ \|/);
  t.match(md, /\| 1\.19, 1\.27 \| cgo 0 · netdns=go \| ok 192\.0\.2\.10 \| ok 192\.0\.2\.10 \| ≠ error: server misbehaving \|/);
  t.equal(renderStubComparison(runResult([cellResult('plain:go1.27.4:cgo=0:netdns=go', 'pass')])), '');
});

t.test("the fingerprint table leaves out real-stub cells: their fake servers saw resolved's queries", async (t) => {
  const { fingerprintRows } = await import('../../src/report/fingerprints.js');
  t.same(fingerprintRows(runResult([cell('go1.27.4', 'real', {})])), []);
  t.equal(fingerprintRows(runResult([cell('go1.27.4', 'emulated', {})])).length, 1);
});

t.test('the libc table: a row per scenario with musl cells, the newest Go, a column per resolver', async (t) => {
  const { libcRows, renderLibcTable } = await import('../../src/report/libc-table.js');
  const mk = (id: string, o: Partial<CellResult['lookups'][number]>, libc?: string) => {
    const c = cellResult(id, 'pass');
    if (libc) c.axes.libc = libc;
    c.lookups = [outcome(o)];
    return c;
  };
  const run = runResult([
    mk('s:go1.27.4:cgo=0:netdns=default', {}),
    mk('s:go1.27.4:cgo=1:netdns=cgo', {}),
    mk('s:go1.27.4:cgo=1:netdns=cgo:libc=musl-1.2.3', { ok: false, error: 'lookup app.example.test: no such host', isNotFound: true }, 'musl-1.2.3'),
    mk('s:go1.27.4:cgo=1:netdns=cgo:libc=musl-1.2.10', { elapsedMs: 1500 }, 'musl-1.2.10'),
    mk('s:go1.19.8:cgo=1:netdns=cgo:libc=musl-1.2.3', {}, 'musl-1.2.3'),
    mk('s:go1.27.4:cgo=1:netdns=go:libc=musl-1.2.3', {}, 'musl-1.2.3'),
    mk('glibc-only:go1.27.4:cgo=1:netdns=cgo', {}),
  ]);
  const { go, columns, rows } = libcRows(run);
  t.equal(go, 'go1.27.4');
  t.same(columns, ['go', 'glibc', 'musl-1.2.3', 'musl-1.2.10'], 'musl versions in numeric order');
  t.same(rows.map((r) => r.scenario), ['s'], 'scenarios without musl cells are left out');
  const md = renderLibcTable(run);
  t.match(md, /\| scenario \| Go's resolver \(CGO_ENABLED=0\) \| cgo \+ glibc \| cgo \+ musl-1\.2\.3 \| cgo \+ musl-1\.2\.10 \|/);
  t.match(md, /\| s \| 🟢 ok 192\.0\.2\.10 \| 🟢 ok 192\.0\.2\.10 \| 🔴 notfound: no such host \| 🟡 ok 192\.0\.2\.10 \(1\.5s\) \|/, 'what happened first');
  run.cells[0]!.verdict = 'fail';
  t.match(renderLibcTable(run), /\| s \| 🟢 ok 192\.0\.2\.10 ✗ \|/, 'then ✗ where it is not what the scenario expects');
});
