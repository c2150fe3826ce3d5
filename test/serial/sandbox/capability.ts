/**
 * The capability check: the first working method is used, and when none works the error lists
 * every method with its exact reason and the fixes, least invasive first, and the CLI exits 3.
 * Failures are simulated with stand-in binaries that fail the way the real ones do.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { SandboxUnavailableError, findSandboxMethod } from '../../../src/index.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

function fake(dir: string, name: string, stderr: string, code = 1): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\necho '${stderr}' >&2\nexit ${code}\n`);
  chmodSync(p, 0o755);
  return p;
}

t.test('on this machine a method works, and the root one comes first', async (t) => {
  const { method, attempts } = await findSandboxMethod();
  t.equal(method.name, process.getuid?.() === 0 ? 'unshare' : attempts.at(-1)?.method);
  t.equal(attempts.at(-1)?.ok, true);
});

t.test('every method failing: each reason, then the fixes in order', async (t) => {
  const dir = t.testdir({});
  const unshare = fake(dir, 'unshare', 'unshare: unshare failed: Operation not permitted');
  const bwrap = fake(dir, 'bwrap', 'bwrap: setting up uid map: Permission denied');
  const err = await findSandboxMethod({ bins: { unshare, bwrap } }).catch((e: unknown) => e);
  t.type(err, SandboxUnavailableError);
  const e = err as SandboxUnavailableError;
  t.equal(e.code, 'GDH_SANDBOX');
  t.same(e.attempts.map((a) => [a.method, a.ok]), [['unshare', false], ['unshare-userns', false], ['bwrap', false]]);
  t.match(e.message, /- unshare: unshare: unshare failed: Operation not permitted \(needs root/);
  t.match(e.message, /- unshare-userns: unshare: unshare failed: Operation not permitted \(needs unprivileged user namespaces\)/);
  t.match(e.message, /- bwrap: bwrap: setting up uid map: Permission denied/);
  const sudo = e.message.indexOf('1. run the harness with sudo');
  const apparmor = e.message.indexOf('2. allow user namespaces for');
  const sysctl = e.message.indexOf('3. on Ubuntu 24.04 and later: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0');
  t.ok(sudo > 0 && apparmor > sudo && sysctl > apparmor, 'fixes least invasive first');
  t.match(e.message, /profile go-dns-harness-unshare \/\S*unshare flags=\(unconfined\)/, 'the AppArmor profile names the resolved unshare path');
  t.match(e.message, /widens the kernel attack surface/, 'the sysctl comes with its trade-off');
});

t.test('a missing binary, and a method that starts but cannot mount', async (t) => {
  const dir = t.testdir({});
  const noMount = join(dir, 'unshare');
  // Starts the real worker with no privileges at all, so its self-test fails at a real step. (NODE_OPTIONS
  // goes: the test runner re-adds its coverage preload, which nobody may not write for.)
  writeFileSync(noMount, '#!/bin/sh\nshift 7\nexec setpriv --reuid=65534 --regid=65534 --clear-groups --bounding-set=-all env -u NODE_OPTIONS "$@"\n');
  chmodSync(noMount, 0o755);
  const err = (await findSandboxMethod({ bins: { unshare: noMount, bwrap: join(dir, 'no-such-bwrap') }, only: ['unshare', 'bwrap'] }).catch((e: unknown) => e)) as SandboxUnavailableError;
  t.type(err, SandboxUnavailableError);
  t.match(err.attempts[0]?.reason, /started, but .*(not permitted|denied|Cannot|must be superuser)/i);
  t.match(err.attempts[1]?.reason, /not installed \(command not found\)/);
});

t.test('the CLI exits 3 with that text, and runs nothing', async (t) => {
  const dir = t.testdir({});
  const env = { GDH_UNSHARE: fake(dir, 'unshare', 'unshare: unshare failed: Operation not permitted'), GDH_BWRAP: fake(dir, 'bwrap', 'bwrap: No permissions to create new namespace') };
  const r = await execa('node', [CLI, 'exec', 'ubuntu-stub-healthy', '--', 'true'], { env, reject: false });
  t.equal(r.exitCode, 3);
  t.match(r.stderr, /cannot create a sandbox .*tried, in order:/s);
  t.match(r.stderr, /bwrap: bwrap: No permissions to create new namespace/);
  t.notMatch(r.stderr, /This is a bug/);
});

t.test('each method really works here: root unshare, user-namespace unshare, bwrap', async (t) => {
  const { methods } = await import('../../../src/sandbox/methods.js');
  const { Sandbox } = await import('../../../src/index.js');
  const bwrapThere = (await execa('sh', ['-c', 'command -v bwrap'], { reject: false })).exitCode === 0;
  for (const m of methods()) {
    if (m.name === 'bwrap' && !bwrapThere) {
      if (process.env.CI) t.fail('bwrap is not installed; .ci/run installs bubblewrap');
      else t.skip('bwrap: not installed here (apt-get install bubblewrap)', () => {});
      continue;
    }
    if (m.name === 'unshare' && process.getuid?.() !== 0) {
      t.skip('unshare as root: not root here', () => {});
      continue;
    }
    const sb = await Sandbox.open({
      method: m,
      files: { 'resolv.conf': 'nameserver 127.0.0.53\n', 'nsswitch.conf': 'hosts: files dns\n' },
      servers: [{ listen: ['127.0.0.53:53/udp'], records: { 'app.example.test': { A: '192.0.2.10' } } }],
    });
    // ahosts, not ahostsv4: with AI_ADDRCONFIG (ahostsv4) glibc asks nothing when only loopback is up.
    const r = await sb.run('getent', ['ahosts', 'app.example.test']);
    const lo = await sb.run('ip', ['-o', 'link', 'show']);
    await sb.close();
    t.equal(sb.method, m.name);
    t.match(r.stdout, /^192\.0\.2\.10\s+STREAM app\.example\.test/m, `${m.name}: glibc resolves through the fake stub`);
    t.same(r.queries[0]?.map((q) => q.qtype).sort(), ['A', 'AAAA'], `${m.name}: the stub saw the queries`);
    t.equal(lo.stdout.trim().split('\n').length, 1, `${m.name}: only loopback in the sandbox's network`);
    t.match(lo.stdout, /^1: lo: <LOOPBACK,UP/, `${m.name}: loopback is up`);
  }
});
