/**
 * CI runs as root, which exercises only the root method. Here the same sandbox is opened as an
 * unprivileged user (nobody, through setpriv), so the user-namespace method is tested for real.
 */
import { chmodSync, copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { oldestAndNewest, probeFor, type ProbeOutput } from '../../helpers/go.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', 'env', '-u', 'NODE_OPTIONS', 'HOME=/tmp'];

t.test('as an unprivileged user the sandbox uses a user namespace and works the same', async (t) => {
  if (process.getuid?.() !== 0) {
    t.comment('not root: every other sandbox test already runs unprivileged');
  }
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  // A world-readable copy of the built harness, wherever the checkout lives (CI may clone it
  // under a directory nobody cannot enter).
  const dir = mkdtempSync(join(tmpdir(), 'gdh-unprivileged-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  for (const part of ['package.json', 'dist']) cpSync(join(ROOT, part), join(dir, 'harness', part), { recursive: true });
  // Only the runtime dependencies (about 12 MB), not the test tooling.
  const prod = await execa('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, reject: false });
  for (const p of prod.stdout.split('\n').slice(1).filter(Boolean)) cpSync(p, join(dir, 'harness', relative(ROOT, p)), { recursive: true });
  const INDEX = join(dir, 'harness', 'dist', 'index.js');
  const readable = await execa(AS_NOBODY[0] as string, [...AS_NOBODY.slice(1), 'test', '-r', INDEX], { reject: false });
  t.equal(readable.exitCode, 0, 'the copy is readable by nobody');
  const newest = tcs[1]!;
  for (const cgo of ['0', '1'] as const) {
    const p = await probeFor(t, newest, cgo);
    copyFileSync(p.path, join(dir, `probe-${cgo}`));
    chmodSync(join(dir, `probe-${cgo}`), 0o755);
  }
  const script = join(dir, 'run.mjs');
  writeFileSync(script, `
    import { Sandbox } from ${JSON.stringify(INDEX)};
    const sb = await Sandbox.open({
      files: { 'resolv.conf': 'nameserver 127.0.0.53\\noptions edns0 trust-ad\\n', 'nsswitch.conf': 'hosts: files dns\\n', hosts: '127.0.0.1 localhost\\n' },
      servers: [{ listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: { 'app.example.test': { A: '192.0.2.10' } } }],
    });
    const out = { method: sb.method, uid: process.getuid(), runs: [] };
    for (const cgo of ['0', '1']) {
      const r = await sb.run(${JSON.stringify(dir)} + '/probe-' + cgo, ['-timeout', '5s', 'ip4', 'app.example.test'], { env: { PATH: process.env.PATH, GODEBUG: 'netdns=cgo+2' } });
      out.runs.push({ cgo, stdout: r.stdout, queries: r.queries[0].length });
    }
    const id = await sb.run('id', ['-u']);
    out.insideUid = id.stdout.trim();
    await sb.close();
    console.log(JSON.stringify(out));
  `);
  chmodSync(script, 0o644);
  const r = await execa(AS_NOBODY[0] as string, [...AS_NOBODY.slice(1), process.execPath, script], { reject: false, timeout: 120_000, cwd: dir });
  t.equal(r.exitCode, 0, 'runs as nobody', { stderr: r.stderr });
  if (r.exitCode !== 0) return;
  const out = JSON.parse(r.stdout) as { method: string; uid: number; insideUid: string; runs: Array<{ cgo: string; stdout: string; queries: number }> };
  t.equal(out.uid, 65534, 'the harness ran as nobody');
  t.equal(out.method, 'unshare-userns', 'the user-namespace method was chosen');
  t.equal(out.insideUid, '0', 'inside, nobody is mapped to root of the namespace');
  for (const run of out.runs) {
    const probe = JSON.parse(run.stdout) as ProbeOutput;
    t.same([probe.lookups[0]?.ok, probe.lookups[0]?.addrs], [true, ['192.0.2.10']], `CGO_ENABLED=${run.cgo} resolves through the stub on 127.0.0.53:53`);
    t.ok(run.queries > 0, 'the fake stub saw its queries');
  }
});
