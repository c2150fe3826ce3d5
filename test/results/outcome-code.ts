import t from 'tap';
import { LEGEND, cellOutcome, ipv6SeenBy, lookupCode, timeClass } from '../../src/results/outcome-code.js';
import { cellResult, outcome } from '../helpers/fixtures.js';

const fail = (error: string, flags: Partial<{ isNotFound: boolean; isTimeout: boolean; isTemporary: boolean }> = {}) => outcome({ ok: false, addrs: [], error, ...flags });

t.test('each error Go, glibc and musl give has its code', async (t) => {
  const cases: Array<[ReturnType<typeof outcome>, string]> = [
    [outcome(), 'ok'],
    [fail('lookup app.example.test on 127.0.0.53:53: no such host', { isNotFound: true }), 'nxdomain'],
    [fail('lookup app.example.test: no such host', { isNotFound: true }), 'nxdomain'],
    [fail('lookup app.example.test on 127.0.0.53:53: read udp 127.0.0.1:40000->127.0.0.53:53: i/o timeout', { isTimeout: true, isTemporary: true }), 'timeout'],
    [fail('lookup app.example.test on 127.0.0.53:53: server misbehaving', { isTemporary: true }), 'misbehaving'],
    [fail('lookup app.example.test: Temporary failure in name resolution', { isTemporary: true }), 'temp-fail'],
    [fail('lookup app.example.test: Try again', { isTemporary: true }), 'temp-fail'],
    [fail('lookup app.example.test on 127.0.0.53:53: read udp 127.0.0.1:40000->127.0.0.53:53: read: connection refused'), 'refused-port'],
    [fail('lookup app.example.test on 127.0.0.53:53: read tcp 127.0.0.1:40000->127.0.0.53:53: EOF'), 'eof'],
    [fail('lookup app.example.test on 127.0.0.53:53: no answer from DNS server'), 'no-answer'],
    [fail('lookup app.example.test: No address associated with hostname'), 'no-address'],
    [fail('lookup app.example.test: Name has no usable address'), 'no-address'],
    [fail('lookup app.example.test: device or resource busy'), 'error'],
  ];
  for (const [o, code] of cases) t.equal(lookupCode(o).code, code, o.error ?? 'ok');
  t.same(new Set(cases.map(([, c]) => c)), new Set(LEGEND.map((d) => d.code).filter((c) => c !== 'ok-A-only')), 'every code of the legend is reachable');
});

t.test('classes: slow or IPv4-only answers are degraded, failures fail', async (t) => {
  t.equal(lookupCode(outcome()).class, 'works');
  t.equal(lookupCode(outcome({ elapsedMs: 1010 })).class, 'degraded', 'a second of waiting');
  t.equal(lookupCode(outcome({ elapsedMs: 1010 })).time, '1.0s');
  t.equal(lookupCode(outcome(), true).code, 'ok-A-only', 'IPv4 only where another cell got IPv6');
  t.equal(lookupCode(outcome({ addrs: ['192.0.2.10', '2001:db8::10'] }), true).code, 'ok');
  t.equal(lookupCode(fail('x')).class, 'fails');
  const c = cellResult('s:go1.27.4:cgo=0:netdns=default', 'pass');
  c.lookups = [outcome(), fail('lookup x: no such host', { isNotFound: true })];
  t.equal(cellOutcome(c).class, 'fails', 'a cell takes the worst class of its lookups');
  c.lookups = [];
  t.equal(cellOutcome(c).class, 'fails', 'no lookup reported is a failure');
});

t.test('time classes: nothing under a quarter second, tenths of seconds, whole seconds from 10 s', async (t) => {
  t.same([100, 249, 250, 1004, 2960, 5012, 9_949, 10_400].map(timeClass), ['', '', '0.3s', '1.0s', '3.0s', '5.0s', '9.9s', '10s']);
});

t.test('IPv6 seen is per scenario and lookup', async (t) => {
  const a = cellResult('s:go1.27.4:cgo=0:netdns=default', 'pass');
  a.lookups = [outcome({ addrs: ['2001:db8::1'] }), outcome()];
  const b = cellResult('other:go1.27.4:cgo=0:netdns=default', 'pass');
  const seen = ipv6SeenBy([a, b]);
  t.same([seen(a, 0), seen(a, 1), seen(b, 0)], [true, false, false]);
});
