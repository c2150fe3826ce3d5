import { findSandboxMethod } from '../sandbox/capability.js';
import { SandboxUnavailableError } from '../sandbox/methods.js';
import { discoverToolchains } from '../go/toolchains.js';
import { cCompilerProblem } from '../go/probe-build.js';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { provisionResolved, resolvedDir } from '../provision/resolved.js';
import { discoverMusl } from '../provision/musl.js';

/** What this machine allows: sandbox methods, toolchains, a C compiler, the tools used. Exit 3 if no sandbox. */
export async function doctor(): Promise<number> {
  const w = (s: string) => process.stdout.write(`${s}\n`);
  let code = 0;
  w('sandbox:');
  try {
    const { attempts } = await findSandboxMethod();
    for (const a of attempts) w(`  ${a.ok ? 'ok  ' : 'no  '} ${a.method}: ${a.reason}`);
  } catch (err) {
    if (!(err instanceof SandboxUnavailableError)) throw err;
    w(err.message.split('\n').map((l) => `  ${l}`).join('\n'));
    code = 3;
  }
  const tcs = await discoverToolchains();
  w(`go toolchains: ${tcs.length ? '' : 'none (go-dns-harness toolchains fetch 1.19 newest)'}`);
  for (const t of tcs) w(`  ${t.version} ${t.source} ${t.goroot}`);
  const cc = await cCompilerProblem(tcs[0]?.cc || 'gcc');
  w(`C compiler: ${cc ?? 'ok (CGO_ENABLED=1 cells can run)'}`);
  // Only what is in the cache: doctor never downloads.
  const resolved = existsSync(resolvedDir()) ? await provisionResolved().then((r) => `${r.version} (${r.root})`, (e: Error) => `broken: ${e.message}`) : 'not fetched (go-dns-harness resolved fetch; real-stub cells are skipped without it)';
  w(`systemd-resolved: ${resolved}`);
  const musl = discoverMusl();
  w(`musl: ${musl.length ? musl.map((m) => m.name).join(', ') : 'none (go-dns-harness musl fetch; needed for --libc musl)'}`);
  for (const tool of ['unshare', 'ip', 'mount', 'getent', 'dig', 'apt-get', 'dpkg-deb']) {
    const r = await execa('sh', ['-c', `command -v ${tool}`], { reject: false });
    w(`  ${tool.padEnd(9)} ${r.exitCode === 0 ? r.stdout.trim() : 'missing'}`);
  }
  return code;
}
