import t from 'tap';
import { check, evaluate, resultOf, whenMatches } from '../../src/results/expect.js';
import { overlapOf } from '../../src/results/wire-check.js';
import { planCells } from '../../src/plan/cells.js';
import type { QueryRecord } from '../../src/dns/query-log.js';
import type { CellAxes } from '../../src/results/model.js';
import { outcome, scenario, toolchain } from '../helpers/fixtures.js';

const axes = (minor: number, cgo: '0' | '1' = '1', netdns: 'default' | 'go' | 'cgo' = 'default'): CellAxes => ({ scenario: 's', go: `go1.${minor}.1`, goMinor: minor, cgo, netdns, godebug: [], tags: [], goModGo: '1.19' });

t.test('when: versions, cgo, netdns, path, lookup, extras', async (t) => {
  const o = outcome();
  const m = (w: object, a = axes(22)) => whenMatches(w as never, a, 'host app.example.test', o);
  t.ok(m({}));
  t.ok(m({ go: ['>=1.21'] }));
  t.notOk(m({ go: ['<1.21'] }));
  t.ok(m({ go: ['1.21-1.23'] }));
  t.notOk(m({ go: ['1.21-1.23'] }, axes(24)));
  t.ok(m({ go: ['>=1.21', '<1.24'] }), 'several ranges must all hold');
  t.ok(m({ go: ['1.22'] }));
  t.ok(m({ cgo: '1', netdns: ['default', 'go'] }));
  t.notOk(m({ netdns: ['cgo'] }));
  t.ok(m({ path: 'go' }));
  t.notOk(m({ path: 'cgo' }));
  t.notOk(m({ lookup: 'host other.test' }));
  t.ok(m({ godebug: 'none', tags: 'none', goModGo: '1.19' }));
  t.notOk(m({ godebug: 'netedns0=0' }));
  t.ok(m({ godebug: 'netedns0=0' }, { ...axes(22), godebug: ['netedns0=0'] }));
  t.notOk(m({ stub: ['real'] }), 'a stub condition needs a cell with a stub');
  t.ok(m({ stub: ['real', 'emulated'] }, { ...axes(22), stub: 'emulated' }));
  t.notOk(m({ stub: ['passthrough'] }, { ...axes(22), stub: 'real' }));
});

t.test('checks say what was wrong', async (t) => {
  t.same(check({ when: [{}], result: 'ok', addrs: ['192.0.2.10'] }, outcome()).problems, []);
  t.same(check({ when: [{}], result: 'ok', addrs: ['192.0.2.11'] }, outcome()).problems, ['expected addresses 192.0.2.11, got 192.0.2.10']);
  t.same(check({ when: [{}], result: 'timeout' }, outcome({ ok: false, error: 'i/o timeout', isTimeout: true })).problems, []);
  t.same(check({ when: [{}], result: 'notfound' }, outcome({ ok: false, error: 'no such host', isTimeout: true })).problems, ['expected "not found", got error "no such host"']);
  t.same(check({ when: [{}], result: 'error', error: '/misbehav(ing)?$/' }, outcome({ ok: false, error: 'server misbehaving' })).problems, []);
  t.same(check({ when: [{}], result: 'error', error: 'refused' }, outcome({ ok: false, error: 'server misbehaving' })).problems, ['expected the error to match refused, got "server misbehaving"']);
  t.same(check({ when: [{}], result: 'ok', path: 'cgo' }, outcome()).problems, ['expected the cgo path, Go declared go']);
  t.same(check({ when: [{}], result: 'ok', addrCount: 2 }, outcome()).problems, ['expected 2 addresses, got 1']);
  t.equal(check({ when: [{}], result: 'ok', maxMs: 3 }, outcome()).slow, true);
});

t.test('resultOf names the most specific result check accepts, for every combination of flags', async (t) => {
  const kinds = new Set<string>();
  for (const ok of [true, false]) {
    for (const isNotFound of [false, true]) {
      for (const isTimeout of [false, true]) {
        for (const isTemporary of [false, true]) {
          const o = outcome(ok ? {} : { ok: false, error: 'e', isNotFound, isTimeout, isTemporary });
          const r = resultOf(o);
          kinds.add(r);
          t.same(check({ when: [{}], result: r }, o).problems, [], `${JSON.stringify({ ok, isNotFound, isTimeout, isTemporary })} -> ${r}`);
          if (r !== 'ok') t.same(check({ when: [{}], result: 'error' }, o).problems, [], 'error accepts every failure, less specifically');
        }
      }
    }
  }
  t.same([...kinds].sort(), ['error', 'notfound', 'ok', 'temporary', 'timeout'], 'every result the schema knows is reachable');
});

t.test('verdicts: first matching expectation per lookup; none matching fails; slow is its own', async (t) => {
  const s = scenario({
    name: 's',
    lookups: ['host app.example.test'],
    expect: [
      { when: { go: '<1.21', cgo: 1 }, result: 'ok', path: 'cgo' },
      { when: { cgo: 1 }, result: 'ok', path: 'go', maxMs: 100 },
    ],
  });
  t.equal(evaluate(s, axes(19), [outcome({ declaredPath: 'cgo' })]).verdict, 'pass');
  t.equal(evaluate(s, axes(19), [outcome({ declaredPath: 'go' })]).verdict, 'fail', 'the first match decides, not a later one');
  t.equal(evaluate(s, axes(27), [outcome({ elapsedMs: 500 })]).verdict, 'slow');
  const none = evaluate(s, axes(27, '0'), [outcome()]);
  t.same([none.verdict, none.checks[0]?.problems], ['fail', ['no expectation in the scenario covers this cell']]);
  t.equal(evaluate(s, axes(27), []).verdict, 'fail', 'a probe that reported fewer lookups fails');
  t.equal(planCells([s], [toolchain(27)]).length, 6);
});

t.test('knownFailing is a ratchet: failing it is xfail, meeting it fails and asks for the marker to go', async (t) => {
  const s = scenario({
    name: 'k',
    expect: [{ when: { go: '<1.22' }, result: 'notfound', knownFailing: 'golang/go#99999: should be "no such host"' }, { result: 'ok' }],
  });
  const still = evaluate(s, axes(21), [outcome({ ok: true })]);
  t.equal(still.verdict, 'xfail', 'the bug is still there');
  t.match(still.checks[0], { ok: true, knownFailing: 'golang/go#99999: should be "no such host"', problems: [/expected "not found", got ok/] });
  const fixed = evaluate(s, axes(21), [outcome({ ok: false, isNotFound: true, error: 'no such host' })]);
  t.equal(fixed.verdict, 'fail', 'meeting a known-failing expectation fails the cell');
  t.match(fixed.checks[0]?.problems, [/marked knownFailing \(golang\/go#99999.*\) but now meets the expectation: remove the marker/]);
  t.equal(evaluate(s, axes(22), [outcome({ ok: true })]).verdict, 'pass', 'cells it does not speak for are unaffected');
  const mixed = scenario({ name: 'm', lookups: ['host a.test', 'host b.test'], expect: [{ when: { lookup: 'host a.test' }, result: 'ok', knownFailing: 'x' }, { result: 'ok' }] });
  t.equal(evaluate(mixed, axes(22), [outcome({ ok: false, error: 'e' }), outcome({ ok: false, error: 'e' })]).verdict, 'fail', 'a real failure beside a known one still fails');
});

t.test('strict entries: a list of `when`, minMs, the DNSError flags, the wire', async (t) => {
  const q = (over: Partial<QueryRecord>): QueryRecord => ({
    seq: 1, time: 1, transport: 'udp', client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 }, length: 40,
    qname: 'app.example.test', qtype: 'A', edns: { udpSize: 1232, version: 0, do: false, options: [] }, rule: -1, action: 'answer', matched: [], delayMs: 0, response: null, ...over,
  });
  const s = scenario({
    name: 'strict',
    lookups: ['host app.example.test'],
    expect: [
      { when: [{ cgo: 1, netdns: 'cgo' }, { cgo: 1, netdns: 'default', go: '1.19' }], path: 'cgo', result: 'ok', minMs: 0, maxMs: 250, wire: [{ server: 0, queries: 2, opt: 1200 }] },
      { when: [{ cgo: 0 }, { netdns: 'go' }, { netdns: 'default', go: '>=1.21' }], path: 'go', result: 'ok', minMs: 900, maxMs: 1600, wire: [{ queries: '3-4', tcp: 0, opt: 1232 }, { server: 1, queries: 0 }] },
    ],
  });
  const goWire = [[q({}), q({ qtype: 'AAAA' }), q({ qname: 'APP.example.test.' })], [q({ qname: 'other.example.test' })]];
  const ok = evaluate(s, axes(27, '0'), [outcome({ elapsedMs: 1010 })], goWire);
  t.same([ok.verdict, ok.checks[0]?.expectation], ['pass', 1], 'the second entry, by its second `when`, case and trailing dot aside');
  t.equal(evaluate(s, axes(19, '1', 'default'), [outcome({ declaredPath: 'go', elapsedMs: 1010 })], goWire).verdict, 'fail', 'the cells it selects by build settings must take its path');
  const quick = evaluate(s, axes(27, '0'), [outcome({ elapsedMs: 12 })], goWire);
  t.same([quick.verdict, quick.checks[0]?.problems], ['fail', ['took 12 ms, under the 900 ms it should wait']], 'too fast fails: the retry it stands for did not happen');
  const extraRound = evaluate(s, axes(27, '0'), [outcome({ elapsedMs: 1010 })], [[...goWire[0]!, q({}), q({ qtype: 'AAAA' })], []]);
  t.same(extraRound.checks[0]?.problems, ['server 0: expected 3-4 queries, saw 5'], 'one more round of queries fails');
  const noOpt = evaluate(s, axes(27, '0'), [outcome({ elapsedMs: 1010 })], [[q({ edns: null }), q({}), q({})], []]);
  t.same(noOpt.checks[0]?.problems, ['server 0: expected OPT with UDP size 1232 in every query, saw no OPT, OPT 1232']);
  const tcp = evaluate(s, axes(27, '0'), [outcome({ elapsedMs: 1010 })], [[q({}), q({}), q({ transport: 'tcp' })], [q({})]]);
  t.same(tcp.checks[0]?.problems, ['server 0: expected 0 TCP queries, saw 1', 'server 1: expected 0 queries, saw 1']);

  const flags = { when: [{}], result: 'timeout' as const, error: 'i/o timeout', flags: { timeout: true, temporary: true } };
  t.same(check(flags, outcome({ ok: false, error: 'i/o timeout', isTimeout: true, isTemporary: true })).problems, []);
  t.same(check(flags, outcome({ ok: false, error: 'i/o timeout', isTimeout: true })).problems, ['expected IsTemporary true, Go reported false']);
});

t.test('overlap: queries at once or in turn, told by replies the server held back', async (t) => {
  const reply = { id: 1, rcode: 'NOERROR', flags: { aa: true, tc: false, rd: true, ra: true, ad: false, cd: false }, questions: 1, answers: 1, authorities: 0, additionals: 0, opt: 'none' as const, length: 60 };
  const q = (qtype: string, time: number, delayMs: number, sentAt?: number): QueryRecord => ({
    seq: 1, time, transport: 'udp', client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.53', port: 53 }, length: 40,
    qname: 'app.example.test', qtype, edns: null, rule: 0, action: 'answer', matched: [0], delayMs, response: sentAt === undefined ? null : { ...reply, sentAt },
  });
  const parallel = [q('A', 10, 100, 110), q('AAAA', 11, 100, 111)];
  const serial = [q('A', 10, 100, 110), q('AAAA', 112, 100, 212)];
  t.equal(overlapOf(parallel), true, 'AAAA came while the A reply was held');
  t.equal(overlapOf(serial), false, 'AAAA came after the A reply left');
  t.equal(overlapOf([q('A', 10, 0, 10), q('AAAA', 10, 0, 10)]), undefined, 'replies not held back: cannot tell');
  t.equal(overlapOf([q('A', 10, 100, 110)]), undefined, 'one query: nothing to tell');
  t.equal(overlapOf([q('A', 10, 100), q('A', 50, 100, 150)]), false, 'a dropped query held nothing back');
  const s = scenario({ name: 'serial', lookups: ['host app.example.test'], expect: [{ when: {}, path: 'go', result: 'ok', wire: [{ queries: 2, overlap: false }] }] });
  t.equal(evaluate(s, axes(27, '0'), [outcome()], [serial]).verdict, 'pass');
  t.same(evaluate(s, axes(27, '0'), [outcome()], [parallel]).checks[0]?.problems, ['server 0: expected queries in turn, saw them at once (one came while a reply was held back)'], 'a resolver that became parallel fails');
  t.same(evaluate(s, axes(27, '0'), [outcome()], [[q('A', 10, 0, 10), q('AAAA', 10, 0, 10)]]).checks[0]?.problems, ['server 0: expected queries in turn, but no reply was held back 50 ms or more to tell']);
});

t.test('the wire of a reverse lookup is found by its reverse name', async (t) => {
  const { lookupQname } = await import('../../src/results/wire-check.js');
  t.equal(lookupQname('addr 192.0.2.10').name, '10.2.0.192.in-addr.arpa');
  t.equal(lookupQname('addr 2001:db8::10').name, '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  t.equal(lookupQname('host App.Example.Test.').name, 'app.example.test');
});
