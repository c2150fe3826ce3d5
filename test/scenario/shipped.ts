/** Every shipped scenario loads, states what it expects and why, and matches the published schema. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { loadScenarios, parseScenario } from '../../src/scenario/load.js';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { lintScenario } from '../../src/scenario/lint.js';

t.test('shipped scenarios', async (t) => {
  const all = loadScenarios();
  t.ok(all.length >= 17, `${all.length} scenarios`);
  for (const s of all) {
    t.ok(s.refs.length > 0, `${s.name} cites what it reproduces`);
    t.ok(s.expect.length > 0, `${s.name} states what it expects`);
    t.ok(s.lookups.length > 0, `${s.name} looks something up`);
    t.ok(s.expect.some((e) => e.why), `${s.name} explains at least one expectation`);
  }
});

t.test('every shipped scenario passes lint: no loose expectation ships', async (t) => {
  const all = loadScenarios();
  for (const s of all) t.same(lintScenario(s).map((p) => `${p.rule}: ${p.message}`), [], s.name);
  t.ok(all.every((s) => s.expect.every((e) => e.why)), 'and every entry says why');
});

t.test('a resolved server is split from the fake ones; with its stub listener off, 127.0.0.53 is free', async (t) => {
  const s = parseScenario('name: a\nsummary: x\nservers:\n  - listen: [127.0.0.2:53/udp]\n  - kind: resolved\n    conf: {DNSStubListener: "no"}\n  - listen: [127.0.0.53:53/udp]\n', 'f.yaml');
  t.same(s.servers.map((x) => x.listen), [['127.0.0.2:53/udp'], ['127.0.0.53:53/udp']]);
  t.same(s.resolved?.conf, { DNSStubListener: 'no' });
  t.equal(s.resolved?.nss, false);
  t.equal(parseScenario('name: a\nsummary: x\n', 'f.yaml').resolved, undefined);
});

t.test('scenarios/schema.json is the schema the loader uses (npm run schema regenerates it)', async (t) => {
  const file = JSON.parse(readFileSync(new URL('../../scenarios/schema.json', import.meta.url), 'utf8')) as unknown;
  t.same(file, scenarioJsonSchema());
});

t.test('errors name file:line:column, the field, the value and what is allowed', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['name: a\nsummary: x\nlookups: [host a.test]\nexpect:\n  - result: maybe\n', /^f\.yaml:5:13: expect\[0\]\.result: "maybe" is not valid; Invalid option: expected one of "ok"\|"error"\|"timeout"\|"notfound"\|"temporary"$/],
    ['name: a\nsummary: x\nlookups: [lookup a.test]\n', /^f\.yaml:3:11: lookups\[0\]: "lookup a\.test" is not valid; expected "KIND NAME"/],
    ['name: a\nsummary: x\nexpect:\n  - when: {go: "2.0"}\n    result: ok\n', /^f\.yaml:4:16: expect\[0\]\.when\.go: "2\.0" is not valid; a Go version or range/],
    ['name: a\nsummary: x\nservers:\n  - listen: [10.0.0.1:53/udp]\n', /^f\.yaml:4:14: servers\[0\]\.listen\[0\]: "10\.0\.0\.1:53\/udp" is not valid; only loopback/],
    ['name: A\nsummary: x\n', /^f\.yaml:1:7: name: "A" is not valid; lower-case/],
    ['name: a\n', /^f\.yaml:1:1: summary: missing; Invalid input: expected string$/],
    ['name: a\nsummary: x\nsummary: y\n', /^f\.yaml:3:1: \(YAML\): "summary: y" is not valid; Map keys must be unique/],
    ['name: a\nsummary: x\ncolour: red\n', /^f\.yaml:3:1: colour: "colour" is not valid; an unknown key at the top level \(a typo\?\)$/],
    ['name: a\nsummary: x\nservers:\n  - listen: [127.0.0.53:53/udp]\n    recrods: {}\n', /^f\.yaml:5:5: servers\[0\]\.recrods: "recrods" is not valid; an unknown key under servers\[0\] \(a typo\?\)$/],
    ['name: a\nsummary: x\nservers:\n  - kind: resolvd\n', /^f\.yaml:4:11: servers\[0\]\.kind: "resolvd" is not valid; Invalid discriminator value\. Expected 'resolved' \| 'fake'/],
    ['name: a\nsummary: x\nservers:\n  - kind: resolved\n    conf: {dnssec: "no"}\n', /^f\.yaml:5:20: servers\[0\]\.conf\.dnssec: .*the key "dnssec": a resolved\.conf option name like DNSSEC/],
    ['name: a\nsummary: x\nservers:\n  - kind: resolved\n  - kind: resolved\n', /^f\.yaml:5:11: servers\[1\]\.kind: "resolved" is not valid; only one systemd-resolved can run in a sandbox/],
    ['name: a\nsummary: x\nservers:\n  - kind: resolved\n  - listen: [127.0.0.53:53/udp]\n', /^f\.yaml:5:14: servers\[1\]\.listen\[0\]: "127\.0\.0\.53:53\/udp" is not valid; systemd-resolved listens there in this scenario; give its upstream another address/],
    ['name: a\nsummary: x\nexpect:\n  - when: {libc: uclibc}\n    result: ok\n', /^f\.yaml:4:18: expect\[0\]\.when\.libc: "uclibc" is not valid; glibc, musl, musl-1\.2\.3, or a musl range like musl<1\.2\.4$/],
    ['name: a\nsummary: x\nexpect:\n  - when: {stub: fake}\n    result: ok\n', /^f\.yaml:4:18: expect\[0\]\.when\.stub: .*"real"\|"emulated"\|"passthrough"/],
    ['name: a\nsummary: x\nservers:\n  - listen: [127.0.0.53:53/udp]\n  - listen: [127.0.0.54:53/udp, 127.0.0.53:53/udp]\n', /^f\.yaml:5:33: servers\[1\]\.listen\[1\]: "127\.0\.0\.53:53\/udp" is not valid; servers\[0\] listens there already; give each server its own address$/],
    ['name: a\nsummary: x\nservers:\n  - listen: [127.0.0.53:53/udp, 127.0.0.53:53/udp]\n', /^f\.yaml:4:33: servers\[0\]\.listen\[1\]: "127\.0\.0\.53:53\/udp" is not valid; listed twice$/],
  ];
  for (const [text, want] of cases) t.throws(() => parseScenario(text, 'f.yaml'), { name: 'ScenarioError', message: want }, want.source);
});
