/**
 * The trace parser against real stderr captured from Go 1.19 and 1.21-1.27 (Debian has no 1.20),
 * cgo 0 and 1, netdns 2 / go+2 / cgo+2, with the Ubuntu stub resolv.conf and a plain one
 * (scripts/capture-traces.mjs). Each capture also holds what the fake server saw, so the parser's
 * verdict is checked against independent evidence: glibc asks A and AAAA from one UDP socket,
 * Go's own resolver from one socket per query.
 */
import t from 'tap';
import { captures } from '../helpers/captures.js';
import { classifyModeLine, declaredPath, parseTrace } from '../../src/observe/trace.js';



t.test('fixtures cover every Debian toolchain from 1.19 to 1.27', async (t) => {
  const minors = [...new Set(captures.map((c) => Number(/^go1\.(\d+)/.exec(c.go)?.[1])))].sort((a, b) => a - b);
  t.same(minors, [19, 21, 22, 23, 24, 25, 26, 27]);
  t.equal(captures.length, minors.length * 2 * 3 * 2);
});

for (const c of captures) {
  t.test(`${c.go} CGO_ENABLED=${c.cgo} netdns=${c.netdns} resolv.conf=${c.resolvConf}`, async (t) => {
    const trace = parseTrace(c.stderr);
    t.not(trace.mode, 'unknown', `the mode line is recognised: ${trace.raw.join(' / ')}`);
    t.ok(trace.conf, 'confVal line parsed');
    t.equal(trace.orders.length, 1, 'one hostLookupOrder line');
    t.equal(trace.orders[0]?.name, 'app.example.test');
    t.equal(trace.raw.length, c.stderr.trim().split('\n').filter((l) => l.startsWith('go package net: ')).length, 'every raw line kept');
    const udpPorts = new Set(c.queries.filter((q) => q.transport === 'udp').map((q) => q.port));
    const wire = udpPorts.size === 1 ? 'cgo' : 'go';
    t.equal(declaredPath(trace, 'APP.example.test.'), wire, `declared path matches the wire (${c.queries.length} queries from ${udpPorts.size} sockets)`);
    if (c.cgo === '0') t.equal(declaredPath(trace), 'go', 'a CGO_ENABLED=0 build always declares Go');
    if (c.netdns === 'go+2') t.equal(trace.mode, 'go');
  });
}

t.test('mode lines by meaning, and the fallbacks', async (t) => {
  t.equal(classifyModeLine('built with netgo build tag; using Go\'s DNS resolver'), 'go');
  t.equal(classifyModeLine('cgo resolver not supported; using Go\'s DNS resolver'), 'go');
  t.equal(classifyModeLine('using cgo DNS resolver'), 'cgo');
  t.equal(classifyModeLine('GODEBUG setting forcing use of the cgo resolver'), 'cgo');
  t.equal(classifyModeLine('dynamic selection of DNS resolver'), 'dynamic');
  t.equal(classifyModeLine('something new in Go 1.40'), null);
  const dynamicNoOrder = parseTrace('go package net: dynamic selection of DNS resolver\n');
  t.equal(declaredPath(dynamicNoOrder), 'unknown', 'dynamic with no order line is not guessed');
  t.equal(declaredPath(parseTrace('unrelated\n')), 'unknown');
  const twoNames = parseTrace('go package net: hostLookupOrder(a.test) = cgo\ngo package net: hostLookupOrder(b.test) = files,dns\n');
  t.same([declaredPath(twoNames, 'a.test'), declaredPath(twoNames, 'b.test')], ['cgo', 'go']);
});
