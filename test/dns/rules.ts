/** Rule matching and the decision walk: unit checks of the matcher, then live checks per field. */
import t from 'tap';
import { decide, ruleMatches, type QueryFacts } from '../../src/dns/rules.js';
import { ruleSchema } from '../../src/dns/options-schema.js';
import type { RuleInput } from '../../src/index.js';
import { WAIT_OUT_SEC, dig, kdig, nodeResolve } from '../helpers/clients.js';
import { serve } from '../helpers/server.js';
import { logged } from '../helpers/wire.js';

const facts = (over: Partial<QueryFacts> = {}): QueryFacts => ({
  qname: 'Api.Example.Test', qtype: 'A', transport: 'udp', edns: true, ad: false, cd: false, do: false, nth: 1, ...over,
});
const rule = (r: RuleInput) => ruleSchema.parse(r);

t.test('match fields', async (t) => {
  const m = (match: RuleInput['match'], f: Partial<QueryFacts> = {}) => ruleMatches(rule({ action: 'refuse', match }).match, facts(f));
  t.ok(m({}));
  t.ok(m({ qname: 'api.example.test.' }), 'exact, case-insensitive, trailing dot');
  t.notOk(m({ qname: 'example.test' }));
  t.ok(m({ suffix: 'example.test' }));
  t.ok(m({ suffix: 'api.example.test' }), 'a suffix matches the name itself');
  t.notOk(m({ suffix: 'ample.test' }), 'suffixes match whole labels');
  t.ok(m({ glob: '*.example.*' }));
  t.ok(m({ glob: 'ap?.example.test' }));
  t.notOk(m({ glob: 'www.*' }));
  t.ok(m({ qtype: ['aaaa', 'A'] }));
  t.notOk(m({ qtype: 'AAAA' }));
  t.ok(m({ transport: 'udp' }));
  t.notOk(m({ transport: 'tcp' }));
  t.ok(m({ edns: true }));
  t.notOk(m({ edns: false }));
  t.ok(m({ ad: true }, { ad: true }));
  t.notOk(m({ cd: true }));
  t.ok(m({ do: true }, { do: true }));
  t.ok(m({ nth: 2 }, { nth: 2 }));
  t.notOk(m({ nth: 2 }));
  t.ok(m({ nth: [1, 3] }, { nth: 3 }));
  t.ok(m({ nth: { from: 2 } }, { nth: 5 }));
  t.notOk(m({ nth: { from: 2, to: 4 } }, { nth: 5 }));
});

t.test('the walk: modifiers add up, the first other rule decides', async (t) => {
  const rules = [
    rule({ action: 'delay', ms: 100 }),
    rule({ action: 'clear-ra', match: { qtype: 'AAAA' } }),
    rule({ action: 'delay', ms: 50 }),
    rule({ action: 'tcp-close' }),
    rule({ action: 'truncate' }),
    rule({ action: 'servfail' }),
  ];
  const udp = decide(rules, facts({ qtype: 'AAAA' }));
  t.same([udp.rule.action, udp.ruleIndex, udp.delayMs, udp.clearRa, udp.matched], ['truncate', 4, 150, true, [0, 1, 2, 4]]);
  const tcp = decide(rules, facts({ transport: 'tcp' }));
  t.same([tcp.rule.action, tcp.ruleIndex, tcp.clearRa], ['tcp-close', 3, false]);
  const none = decide([rule({ action: 'refuse', match: { qtype: 'MX' } })], facts());
  t.same([none.rule.action, none.ruleIndex], ['answer', -1]);
});

t.test('live: nth, transport, edns, flags, qtype', async (t) => {
  const s = await serve(t, {
    rules: [
      { match: { qname: 'nth.example.test', nth: 1 }, action: 'servfail' },
      { match: { qname: 'udp.example.test', transport: 'udp' }, action: 'refuse' },
      { match: { qname: 'edns.example.test', edns: true }, action: 'formerr' },
      { match: { qname: 'cd.example.test', cd: true }, action: 'nxdomain' },
      { match: { qname: 'do.example.test', do: true }, action: 'notimp' },
      { match: { qname: 'ad.example.test', ad: false }, action: 'refuse' },
      { match: { suffix: 'six.example.test', qtype: 'AAAA' }, action: 'drop' },
    ],
    records: {
      'nth.example.test': { A: '192.0.2.1' }, 'udp.example.test': { A: '192.0.2.2' }, 'edns.example.test': { A: '192.0.2.3' },
      'cd.example.test': { A: '192.0.2.4' }, 'do.example.test': { A: '192.0.2.5' }, 'ad.example.test': { A: '192.0.2.6' },
      'a.six.example.test': { A: '192.0.2.7', AAAA: '2001:db8::7' },
    },
  });
  t.equal((await dig(s.target, 'nth.example.test')).status, 'SERVFAIL', 'first query');
  t.equal((await dig(s.target, 'NTH.example.test')).status, 'NOERROR', 'second query (counted case-insensitively)');
  t.equal((await dig(s.target, 'udp.example.test')).status, 'REFUSED');
  t.equal((await dig(s.target, 'udp.example.test', { tcp: true })).status, 'NOERROR');
  t.equal((await dig(s.target, 'edns.example.test', { edns: false })).status, 'NOERROR');
  t.equal((await kdig(s.target, 'edns.example.test', { edns: true })).status, 'FORMERR');
  t.equal((await dig(s.target, 'cd.example.test', { extra: ['+cdflag'] })).status, 'NXDOMAIN');
  t.equal((await dig(s.target, 'cd.example.test')).status, 'NOERROR');
  t.equal((await dig(s.target, 'do.example.test', { extra: ['+dnssec'] })).status, 'NOTIMP');
  t.equal((await dig(s.target, 'ad.example.test', { extra: ['+noadflag'] })).status, 'REFUSED');
  t.equal((await dig(s.target, 'ad.example.test', { extra: ['+adflag'] })).status, 'NOERROR');
  t.equal((await nodeResolve(s.target, 'a.six.example.test', { type: 'AAAA', timeoutSec: WAIT_OUT_SEC })).status, 'ETIMEOUT');
  t.equal((await nodeResolve(s.target, 'a.six.example.test')).status, 'NOERROR');
  const nth = s.queries().filter((q) => q.qname?.toLowerCase() === 'nth.example.test').map((q) => [q.nth, q.action]);
  t.same(nth, [[1, 'servfail'], [2, 'answer']]);
  s.resetCounters();
  t.equal((await dig(s.target, 'nth.example.test')).status, 'SERVFAIL', 'after resetCounters the count starts again');
});

t.test('live: delay holds the answer back, then the next rule decides', async (t) => {
  const s = await serve(t, { rules: [{ action: 'delay', ms: 400 }, { match: { qtype: 'TXT' }, action: 'refuse' }] });
  const started = performance.now();
  const r = await nodeResolve(s.target, 'app.example.test', { timeoutSec: 3 });
  const elapsed = performance.now() - started;
  t.equal(r.status, 'NOERROR');
  t.ok(elapsed >= 390, `answered after ${elapsed.toFixed(0)} ms`);
  t.equal((await dig(s.target, 'app.example.test', { type: 'TXT', timeoutSec: 3 })).status, 'REFUSED');
  const [q] = s.queries();
  t.equal(q?.delayMs, 400);
  t.ok((q?.response?.sentAt ?? 0) - (q?.time ?? 0) >= 390, 'the log records when the reply really left');
});

t.test('a delayed reply is cancelled by close()', async (t) => {
  const s = await serve(t, { rules: [{ action: 'delay', ms: 5000 }] });
  const pending = nodeResolve(s.target, 'app.example.test', { timeoutSec: 2 });
  // Close once the query is in and its reply is waiting, not after a guessed pause.
  await logged(s, 1);
  await s.close();
  t.equal((await pending).status, 'ETIMEOUT');
  t.equal(s.queries()[0]?.response?.sentAt, undefined);
});
