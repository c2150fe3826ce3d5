/**
 * The host is never changed: /etc files stay byte-identical and no mount, process or temp dir is
 * left behind, when the harness is stopped by SIGINT, SIGTERM, Ctrl-C (the whole process group),
 * or killed outright with SIGKILL in the middle of a run.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { hostState, processesRunning, sandboxDirsOf, waitFor } from '../../helpers/host.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

function startExec(marker: string, detached = false) {
  // `sleep MARKER` inside the sandbox is how the test recognises the run's process from outside.
  const child = spawn(process.execPath, [CLI, 'exec', 'ubuntu-stub-healthy', '--', 'sleep', marker], { stdio: ['ignore', 'pipe', 'pipe'], detached });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, exited, stderr: () => stderr };
}

const cases: Array<{ name: string; signal: NodeJS.Signals; group: boolean; code: number | null }> = [
  { name: 'SIGINT to the harness', signal: 'SIGINT', group: false, code: 130 },
  { name: 'SIGTERM to the harness', signal: 'SIGTERM', group: false, code: 143 },
  { name: 'Ctrl-C (SIGINT to the whole process group)', signal: 'SIGINT', group: true, code: 130 },
  { name: 'SIGKILL to the harness', signal: 'SIGKILL', group: false, code: null },
];

for (const [i, c] of cases.entries()) {
  t.test(c.name, async (t) => {
    const before = hostState();
    const marker = `3${i}.${process.pid % 1000}7`;
    const run = startExec(marker, c.group);
    const started = await waitFor(() => processesRunning(['sleep', marker]).length > 0, 20_000);
    t.ok(started, `the command is running inside the sandbox (${run.stderr().trim()})`);
    t.same(hostState(), before, 'while it runs, the host sees none of the sandbox mounts or files');
    if (c.group) process.kill(-(run.child.pid as number), c.signal);
    else run.child.kill(c.signal);
    const { code, signal } = await run.exited;
    if (c.code === null) t.equal(signal, 'SIGKILL');
    else t.equal(code, c.code, `exit code ${c.code}`);
    t.ok(await waitFor(() => processesRunning(['sleep', marker]).length === 0, 10_000), 'no process from the sandbox is left');
    t.same(hostState(), before, '/etc files byte-identical, no mount left');
    if (c.signal !== 'SIGKILL') t.same(sandboxDirsOf(run.child.pid as number), [], 'no temp dir left');
    else {
      // Nothing can run at SIGKILL; the next harness run sweeps what the killed one left.
      const next = startExec('0.01');
      await next.exited;
      t.same(sandboxDirsOf(run.child.pid as number), [], 'the next run removed the temp dir a SIGKILLed run left');
    }
  });
}

t.test('Ctrl-C in the middle of a matrix run: exit 130, nothing left behind', async (t) => {
  const before = hostState();
  // stub-drops cells wait out a one-second timeout each, so the run is busy when interrupted.
  const child = spawn(process.execPath, [CLI, 'run', '--scenario', 'stub-drops', '--out', t.testdir({}), '--jobs', '4'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const busy = await waitFor(() => /\[\d+\/\d+\]/.test(stderr), 120_000);
  t.ok(busy, 'cells were finishing when the interrupt came');
  process.kill(-(child.pid as number), 'SIGINT');
  t.equal(await exited, 130);
  t.ok(await waitFor(() => sandboxDirsOf(child.pid as number).length === 0, 5000), 'no temp dir left');
  t.ok(await waitFor(() => readFileSync('/proc/self/mountinfo', 'utf8') === before.mounts, 5000), 'no mount left');
  t.same(hostState(), before);
});
