/** The lint names each loose pattern, with file:line:column, and passes a strict scenario. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t, { type Test } from 'tap';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { lintScenario, waitsOnTimeout } from '../../src/scenario/lint.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const HEAD = (name: string, rules = '') => `name: ${name}
summary: A stub that refuses.
files:
  resolv.conf: |
    nameserver 127.0.0.53
servers:
  - listen: [127.0.0.53:53/udp]
    records:
      app.example.test: {A: 192.0.2.10}
${rules ? `    rules:\n${rules}` : ''}lookups: [host app.example.test]
expect:
`;

/** Every cell said, the path asserted by build settings, the words, the time from both sides, the wire. */
const STRICT = `${HEAD('strict')}  - when: [{cgo: 1, netdns: cgo}, {cgo: 1, netdns: default, go: "1.19"}]
    path: cgo
    result: ok
    addrs: [192.0.2.10]
    minMs: 0
    maxMs: 250
    wire: [{server: 0, queries: 2, opt: 1200}]
    why: glibc asks A and AAAA once (measured).
  - when: [{cgo: 0}, {netdns: go}, {netdns: default, go: ">=1.21"}]
    path: go
    result: ok
    addrs: [192.0.2.10]
    wire: [{queries: 2, tcp: 0}]
    why: Go's resolver asks A and AAAA once (measured).
`;

function lintOf(t: Test, name: string, text: string) {
  const dir = t.testdir({ [`${name}.yaml`]: text });
  return lintScenario(loadScenarioFile(join(dir, `${name}.yaml`)));
}

t.test('a strict scenario passes', async (t) => {
  t.same(lintOf(t, 'strict', STRICT), []);
});

t.test('each loose pattern is named, where it stands', async (t) => {
  const loose = `${HEAD('loose')}  - when: {path: cgo}
    result: error
    why: glibc fails.
  - when: {cgo: 1, netdns: default}
    result: notfound
    error: no such host
  - result: ok
`;
  const p = lintOf(t, 'loose', loose);
  t.same(p.map((x) => [x.entry, x.rule]), [
    [0, 'when-path'],
    [0, 'error-wording'],
    [0, 'catch-all'],
    [1, 'path-unasserted'],
    [2, 'path-unasserted'],
    [2, 'catch-all'],
  ]);
  t.match(p[0]!.where, /loose\.yaml:12:18$/, 'file:line:column of when.path');
  t.match(p[1]!.where, /loose\.yaml:13:13$/);
  t.match(p[0]!.message, /select them by build settings .* and assert path: cgo/);
  t.match(p[1]!.message, /result: error with no error: any failure would do/);
});

t.test('no time bound where a timeout is waited on: a dropping server, a nameserver nobody serves, an expected timeout', async (t) => {
  const drops = `${HEAD('drops', '      - action: drop\n')}  - when: [{cgo: 0}, {netdns: go}, {netdns: default, go: ">=1.21"}]
    path: go
    result: timeout
    error: i/o timeout
    maxMs: 6000
  - when: [{cgo: 1, netdns: cgo}, {cgo: 1, netdns: default, go: "1.19"}]
    path: cgo
    result: temporary
    error: Temporary failure in name resolution
    minMs: 4500
    maxMs: 6000
`;
  const p = lintOf(t, 'drops', drops);
  t.same(p.map((x) => [x.entry, x.rule]), [[0, 'no-time-bound']]);
  t.match(p[0]!.message, /waits on a timeout \(its server rule "drop"\), and this entry has no minMs/);
  const missing = loadScenarioFile(join(t.testdir({ 'm.yaml': STRICT.replace('name: strict', 'name: m').replace('nameserver 127.0.0.53', 'nameserver 127.0.0.53\n    nameserver 127.0.0.9') }), 'm.yaml'));
  t.equal(waitsOnTimeout(missing), 'its nameserver 127.0.0.9, which nothing serves');
  t.same(lintScenario(missing).map((x) => [x.entry, x.rule]), [[1, 'no-time-bound']], 'the entry with no time bound');
});

t.test('a go list no version satisfies is named; a span and narrowing bounds are not', async (t) => {
  const never = `${HEAD('never')}  - when: [{cgo: 1, netdns: cgo, go: ["1.21", "1.22"]}, {cgo: 1, netdns: cgo, go: ["1.23-1.24"]}, {cgo: 1, netdns: cgo, go: [">=1.25", "<1.27"]}]
    path: cgo
    result: ok
  - when: [{cgo: 0}, {netdns: go}, {netdns: default, go: [">=1.21", "<1.19"]}]
    path: go
    result: ok
`;
  const p = lintOf(t, 'never', never);
  t.same(p.map((x) => [x.entry, x.rule]), [[0, 'go-never'], [1, 'go-never']]);
  t.match(p[0]!.where, /never\.yaml:12:\d+$/, 'file:line:column of the first item\'s go');
  t.match(p[0]!.message, /go: \[1\.21, 1\.22\] holds for no Go version: every item of go must hold .* write a span \("1\.21-1\.22"\)/);
  t.match(p[1]!.message, /go: \[>=1\.21, <1\.19\] holds for no Go version/);
});

t.test('a lone entry for every cell is not a catch-all; an entry per lookup is not either', async (t) => {
  const one = `${HEAD('one')}  - when: {cgo: 0}
    path: go
    result: ok
`;
  t.same(lintOf(t, 'one', one).map((x) => x.rule), []);
  const two = `${HEAD('two').replace('lookups: [host app.example.test]', 'lookups: [host app.example.test, host other.example.test]')}  - when: {cgo: 0, lookup: host app.example.test}
    path: go
    result: ok
  - when: {lookup: host other.example.test}
    path: go
    result: ok
`;
  t.same(lintOf(t, 'two', two).map((x) => x.rule), []);
});

t.test('the CLI: exit 1 with the problems, 0 when clean', async (t) => {
  const dir = t.testdir({ 'strict.yaml': STRICT, 'loose.yaml': `${HEAD('loose')}  - result: error\n` });
  const bad = await execa('node', [CLI, 'lint', '--scenarios-dir', dir], { reject: false });
  t.equal(bad.exitCode, 1);
  t.match(bad.stdout, /loose\.yaml:\d+:\d+: error-wording: /);
  t.match(bad.stdout, /2 problem\(s\) in 1 of 2 scenario\(s\): error-wording 1, path-unasserted 1$/);
  const good = await execa('node', [CLI, 'lint', 'strict', '--scenarios-dir', dir], { reject: false });
  t.equal(good.exitCode, 0, good.stdout);
  t.equal(good.stdout, '1 scenario(s): no loose expectations');
});
