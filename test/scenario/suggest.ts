/** suggest: strict entries from measured cells, exact selectors, bounds from the spread, checked against the cells. */
import t from 'tap';
import { evaluate } from '../../src/results/expect.js';
import type { QueryRecord } from '../../src/dns/query-log.js';
import type { CellResult } from '../../src/results/model.js';
import { parseScenario } from '../../src/scenario/load.js';
import { lintScenario } from '../../src/scenario/lint.js';
import { errorWords, suggestExpectations, timeBounds, unstableCells, withExpectations } from '../../src/scenario/suggest.js';
import { cellResult, outcome, scenario } from '../helpers/fixtures.js';

const q = (qtype: string, edns: number | null): QueryRecord => ({
  seq: 1, time: 1, transport: 'udp', client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 }, length: 40,
  qname: 'app.example.test', qtype, edns: edns === null ? null : { udpSize: edns, version: 0, do: false, options: [] }, rule: -1, action: 'answer', matched: [], delayMs: 0, response: null,
});

const TEXT = `# The stub answers FORMERR to queries with OPT.
name: s
summary: An EDNS-intolerant stub.
lookups: [host app.example.test]
expect:
  - when: {path: cgo}
    result: notfound
    why: glibc reports not found.
  - result: error
    why: Go's resolver says server misbehaving.
`;

/** Go's resolver fails with OPT, glibc says not found; cgo=1 with netdns unset takes cgo on 1.19 only. */
function cells(): CellResult[] {
  const out: CellResult[] = [];
  for (const go of ['go1.19.8', 'go1.21.13', 'go1.27.4'])
    for (const [cgo, netdns] of [['0', 'default'], ['0', 'go'], ['1', 'default'], ['1', 'go'], ['1', 'cgo']] as const) {
      const path = cgo === '1' && (netdns === 'cgo' || (netdns === 'default' && go === 'go1.19.8')) ? 'cgo' : 'go';
      const c = cellResult(`s:${go}:cgo=${cgo}:netdns=${netdns}`, 'pass', path);
      c.lookups = [path === 'cgo'
        ? outcome({ ok: false, addrs: [], declaredPath: 'cgo', error: 'lookup app.example.test: no such host', isNotFound: true, elapsedMs: 20 })
        : outcome({ ok: false, addrs: [], declaredPath: 'go', error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving', elapsedMs: go === 'go1.27.4' ? 1010 : 990 })];
      c.queries = [path === 'cgo' ? [q('A', 1200), q('AAAA', 1200)] : [q('A', 1232), q('AAAA', 1232), q('A', 1232), q('AAAA', 1232)]];
      c.checks = [{ lookup: 'host app.example.test', expectation: path === 'cgo' ? 0 : 1, ok: true, problems: [] }];
      out.push(c);
    }
  return out;
}

t.test('one entry per behaviour, selected by build settings, with the words, flags, bounds, wire and the old why', async (t) => {
  const s = parseScenario(TEXT, 's.yaml');
  const entries = suggestExpectations(s, cells());
  t.equal(entries.length, 2);
  const [goEntry, cgoEntry] = entries[0]!.path === 'go' ? entries : [entries[1]!, entries[0]!];
  t.same(cgoEntry!.when, [{ netdns: ['cgo'] }, { go: ['1.19'], cgo: '1', netdns: ['default'] }], 'the fewest settings that pick exactly those cells');
  t.match(cgoEntry, { path: 'cgo', result: 'notfound', error: 'no such host', flags: { notFound: true }, minMs: 0, maxMs: 1000, wire: [{ server: 0, queries: 2, udp: 2, tcp: 0, opt: 1200 }], why: 'glibc reports not found.', cells: 4 });
  t.match(goEntry, { path: 'go', result: 'error', error: 'server misbehaving', minMs: 750, maxMs: 1700, wire: [{ queries: 4, opt: 1232 }], why: "Go's resolver says server misbehaving.", cells: 11 });
  // Written back into the file, the entries parse, pass lint, and hold for every cell they came from.
  const text = withExpectations(TEXT, entries);
  t.match(text, /^# The stub answers FORMERR to queries with OPT\.\nname: s\n/, 'the rest of the file is kept');
  const next = parseScenario(text, 's.yaml');
  t.same(lintScenario(next, text), []);
  for (const c of cells()) t.equal(evaluate(next, c.axes, c.lookups, c.queries).verdict, 'pass', c.id);
  // And a cell that took the other path, or asked once more, fails them.
  const flipped = cells()[2]!;
  t.equal(evaluate(next, flipped.axes, [{ ...flipped.lookups[0]!, declaredPath: 'go' }], flipped.queries).verdict, 'fail');
  const again = cells()[0]!;
  t.equal(evaluate(next, again.axes, again.lookups, [[...again.queries[0]!, q('A', 1232), q('AAAA', 1232)]]).verdict, 'fail');
});

t.test('bounds: 0.8x the fastest, 1.6x the slowest, at least a second above; quick is from 0', async (t) => {
  t.same(timeBounds([990, 1010]), { minMs: 750, maxMs: 1700 });
  t.same(timeBounds([5010, 5100]), { minMs: 4000, maxMs: 8200 });
  t.same(timeBounds([3, 40]), { minMs: 0, maxMs: 1000 });
});

t.test('error words: the last part, without the addresses', async (t) => {
  t.equal(errorWords('lookup a on 127.0.0.53:53: read udp 127.0.0.1:40000->127.0.0.53:53: i/o timeout'), 'i/o timeout');
  t.equal(errorWords('lookup a: Temporary failure in name resolution'), 'Temporary failure in name resolution');
});

t.test('a scenario with two lookups gets entries per lookup', async (t) => {
  const s = scenario({ name: 'two', lookups: ['host app.example.test', 'host other.example.test'], expect: [{ result: 'ok' }] });
  const c = cellResult('two:go1.27.4:cgo=0:netdns=default', 'pass');
  c.lookups = [outcome(), outcome({ name: 'other.example.test', ok: false, addrs: [], error: 'lookup other.example.test: no such host', isNotFound: true })];
  const entries = suggestExpectations(s, [c]);
  t.same(entries.map((e) => [e.when[0]?.lookup, e.result]), [['host app.example.test', 'ok'], ['host other.example.test', 'notfound']]);
});

t.test('a long answer is held to its count; real-stub cells keep the wider old limit', async (t) => {
  const s = scenario({ name: 'long', expect: [{ when: { stub: 'real' }, result: 'ok', maxMs: 16_500 }] });
  const c = cellResult('long:go1.27.4:cgo=0:netdns=default:stub=real', 'pass');
  c.axes.stub = 'real';
  c.lookups = [outcome({ addrs: Array.from({ length: 60 }, (_, i) => `192.0.2.${i + 1}`), elapsedMs: 4100 })];
  c.checks = [{ lookup: 'host app.example.test', expectation: 0, ok: true, problems: [] }];
  const [e] = suggestExpectations(s, [c]);
  t.match(e, { addrCount: 60, minMs: 2050, maxMs: 16_500 });
  t.notOk(e?.addrs);
});

t.test('several runs: a server picked at random becomes a range, an outcome that changed is reported', async (t) => {
  const s = scenario({ name: 'rot', expect: [{ when: { cgo: '1' }, result: 'ok', path: 'cgo' }] });
  // glibc's rotate: each cell asks one of two servers, at random; here run 1 and run 2 disagree on
  // two cells, and the other cells happened to pick the same server in both.
  const run = (picks: number[]): CellResult[] =>
    picks.map((server, k) => {
      const c = cellResult(`rot:go1.${21 + k}.1:cgo=1:netdns=cgo`, 'pass', 'cgo');
      c.lookups = [outcome({ declaredPath: 'cgo' })];
      c.queries = [server === 0 ? [q('A', null)] : [], server === 1 ? [q('A', null)] : []];
      c.checks = [{ lookup: 'host app.example.test', expectation: 0, ok: true, problems: [] }];
      return c;
    });
  const one = run([0, 0, 1, 1]);
  const two = run([1, 0, 1, 0]);
  t.equal(suggestExpectations(s, one).length, 2, 'one run alone splits the cells by the server they happened to pick');
  const entries = suggestExpectations(s, one, [two]);
  t.equal(entries.length, 1, 'with the second run they are one behaviour');
  t.match(entries[0]?.wire, [{ server: 0, queries: '0-1' }, { server: 1, queries: '0-1' }]);
  t.same(unstableCells(s, one, [two]), []);
  const changed = run([0, 0, 1, 1]);
  changed[1]!.lookups = [outcome({ ok: false, addrs: [], declaredPath: 'cgo', error: 'lookup app.example.test: no such host', isNotFound: true })];
  t.same(unstableCells(s, one, [changed]), ['rot:go1.22.1:cgo=1:netdns=cgo'], 'a cell whose outcome differed between the runs');
});

t.test('a name asked twice gives its entries once', async (t) => {
  const s = scenario({ name: 'twice', lookups: ['host app.example.test', 'host app.example.test'], expect: [{ result: 'ok' }] });
  const c = cellResult('twice:go1.27.4:cgo=0:netdns=default', 'pass');
  c.lookups = [outcome(), outcome()];
  t.equal(suggestExpectations(s, [c]).length, 1);
});

t.test('a stalled cell stays in its entry, a whole retry round splits; queries in turn are told from queries at once', async (t) => {
  const TEXT2 = 'name: s2\nsummary: A stub that answers 100 ms late.\nlookups: [host app.example.test]\nexpect:\n  - when: {cgo: "1"}\n    result: ok\n    why: C library.\n  - result: ok\n    why: Go.\n';
  const s = parseScenario(TEXT2, 's2.yaml');
  const reply = { id: 1, rcode: 'NOERROR', flags: { aa: true, tc: false, rd: true, ra: true, ad: false, cd: false }, questions: 1, answers: 1, authorities: 0, additionals: 0, opt: 'none' as const, length: 60 };
  const held = (qtype: string, time: number): QueryRecord => ({ ...q(qtype, null), time, delayMs: 100, response: { ...reply, sentAt: time + 100 } });
  const list: CellResult[] = [];
  for (const go of ['go1.19.8', 'go1.21.13', 'go1.27.4'])
    for (const cgo of ['0', '1'] as const) {
      const path = cgo === '1' ? 'cgo' : 'go';
      const c = cellResult(`s2:${go}:cgo=${cgo}:netdns=${path}`, 'pass', path);
      // Go's resolver: 3.0 s, one stalled to 3.6 s by a busy machine; the C library asks in turn, 0.2 s.
      c.lookups = [outcome({ declaredPath: path, elapsedMs: path === 'cgo' ? 210 : go === 'go1.21.13' ? 3600 : 3000 })];
      c.queries = [path === 'cgo' ? [held('A', 0), held('AAAA', 101)] : [held('A', 0), held('AAAA', 1)]];
      list.push(c);
    }
  const entries = suggestExpectations(s, list);
  t.equal(entries.length, 2, 'the stalled Go cell is not an entry of its own');
  const goEntry = entries.find((e) => e.path === 'go');
  const cgoEntry = entries.find((e) => e.path === 'cgo');
  t.match(goEntry, { minMs: 2400, maxMs: 5800, wire: [{ queries: 2, overlap: true }], why: 'Go.', cells: 3 });
  t.match(cgoEntry, { minMs: 0, maxMs: 1000, wire: [{ queries: 2, overlap: false }], why: 'C library.', cells: 3 });
  // A Go cell a whole retry round (5 s) slower is another behaviour.
  list[2]!.lookups = [outcome({ declaredPath: 'go', elapsedMs: 8000 })];
  t.equal(suggestExpectations(s, list).filter((e) => e.path === 'go').length, 2, 'a retry round splits');
  // The why comes from the entry in the file as it is now, whatever index the run recorded.
  for (const c of list) c.checks = [{ lookup: 'host app.example.test', expectation: 5, ok: true, problems: [] }];
  t.match(suggestExpectations(s, list).find((e) => e.path === 'cgo'), { why: 'C library.' });
});
