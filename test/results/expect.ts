import t from 'tap';
import { check, evaluate, whenMatches } from '../../src/results/expect.js';
import { planCells } from '../../src/matrix/plan.js';
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
  t.same(check({ when: {}, result: 'ok', addrs: ['192.0.2.10'] }, outcome()).problems, []);
  t.same(check({ when: {}, result: 'ok', addrs: ['192.0.2.11'] }, outcome()).problems, ['expected addresses 192.0.2.11, got 192.0.2.10']);
  t.same(check({ when: {}, result: 'timeout' }, outcome({ ok: false, error: 'i/o timeout', isTimeout: true })).problems, []);
  t.same(check({ when: {}, result: 'notfound' }, outcome({ ok: false, error: 'no such host', isTimeout: true })).problems, ['expected "not found", got error "no such host"']);
  t.same(check({ when: {}, result: 'error', error: '/misbehav(ing)?$/' }, outcome({ ok: false, error: 'server misbehaving' })).problems, []);
  t.same(check({ when: {}, result: 'error', error: 'refused' }, outcome({ ok: false, error: 'server misbehaving' })).problems, ['expected the error to match refused, got "server misbehaving"']);
  t.same(check({ when: {}, result: 'ok', path: 'cgo' }, outcome()).problems, ['expected the cgo path, Go declared go']);
  t.same(check({ when: {}, result: 'ok', addrCount: 2 }, outcome()).problems, ['expected 2 addresses, got 1']);
  t.equal(check({ when: {}, result: 'ok', maxMs: 3 }, outcome()).slow, true);
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
