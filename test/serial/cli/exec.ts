/** `go-dns-harness exec`: a user's own command inside a scenario's sandbox, then the query log. */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const run = (...args: string[]) => execa('node', [CLI, ...args], { reject: false, timeout: 60_000 });

t.test('dig against the healthy stub', async (t) => {
  const r = await run('exec', 'ubuntu-stub-healthy', '--', 'dig', '+short', 'app.example.test');
  t.equal(r.exitCode, 0);
  t.equal(r.stdout.trim(), '192.0.2.10');
  t.match(r.stderr, /--- ubuntu-stub-healthy: query log \(unshare(-userns)? sandbox\) ---/);
  t.match(r.stderr, /udp 127\.0\.0\.1:\d+ -> 127\.0\.0\.53:53 id=\d+ A app\.example\.test edns=1232 rd ad -> answer: NOERROR an=1/);
});

t.test("getent against the refusing stub exits with getent's code and shows the refusals", async (t) => {
  const r = await run('exec', 'stub-refused', '--', 'getent', 'ahosts', 'app.example.test');
  t.equal(r.exitCode, 2, 'getent: key not found');
  t.match(r.stderr, /-> refuse: REFUSED an=0/);
});

t.test('--json carries the result, the mounts and every query', async (t) => {
  const r = await run('exec', 'ubuntu-stub-healthy', '--json', '--', 'getent', 'hosts', 'app.example.test');
  const j = JSON.parse(r.stdout) as { scenario: string; mounts: Array<{ target: string }>; result: { exitCode: number; stdout: string; queries: unknown[][] } };
  t.equal(j.scenario, 'ubuntu-stub-healthy');
  t.same(j.mounts.map((m) => m.target).sort(), ['/etc/hosts', '/etc/nsswitch.conf', '/etc/resolv.conf']);
  t.equal(j.result.exitCode, 0);
  t.match(j.result.stdout, /^(192\.0\.2\.10|2001:db8::10)\s+app\.example\.test/);
  t.ok((j.result.queries[0] ?? []).length >= 1);
});

t.test('bad input: clear errors, right exit codes', async (t) => {
  const dir = t.testdir({
    'broken.yaml': 'name: broken\nsummary: x\nservers:\n  - listen: [127.0.0.53:53/udp]\n    rules:\n      - action: explode\n',
    'badyaml.yaml': 'name: badyaml\nsummary: [unclosed\n',
  });
  const bad = await run('exec', `${dir}/broken.yaml`, '--', 'true');
  t.equal(bad.exitCode, 2);
  t.match(bad.stderr, /broken\.yaml:6:17: servers\[0\]\.rules\[0\]\.action: "explode" is not valid; Invalid option/);
  const yaml = await run('exec', `${dir}/badyaml.yaml`, '--', 'true');
  t.equal(yaml.exitCode, 2);
  t.match(yaml.stderr, /badyaml\.yaml:\d+:\d+: \(YAML\)/);
  const missing = await run('exec', 'no-such-scenario', '--', 'true');
  t.equal(missing.exitCode, 2);
  t.match(missing.stderr, /no such scenario file, and no no-such-scenario\.yaml in .*; known: .*stub-refused/);
  const noCmd = await run('exec', 'ubuntu-stub-healthy');
  t.equal(noCmd.exitCode, 2);
  const notFound = await run('exec', 'ubuntu-stub-healthy', '--', 'no-such-command-here');
  t.equal(notFound.exitCode, 127);
  t.match(notFound.stderr, /could not run no-such-command-here/);
});
