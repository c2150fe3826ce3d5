/**
 * npm run test:repeat: the suite run N times over a small fixture suite with one test that fails
 * on every second run and one that always fails; the table must name each with its count.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t, { type Test } from 'tap';

const SCRIPT = fileURLToPath(new URL('../../scripts/test-repeat.mjs', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

// Each run bumps a counter next to the test, so "every second run" needs no clock and no chance.
const FLAKY = `import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const f = new URL('./count', import.meta.url);
const n = existsSync(f) ? Number(readFileSync(f, 'utf8')) + 1 : 1;
writeFileSync(f, String(n));
t.test('group', async (t) => {
  t.ok(true, 'steady');
  t.ok(n % 2 === 1, 'fails on even runs');
});
`;

function fixture(t: Test, files: Record<string, string>): string {
  return t.testdir({
    'package.json': '{"type":"module","private":true}',
    '.taprc': 'disable-coverage: true\njobs: 1\n',
    node_modules: t.fixture('symlink', NODE_MODULES),
    ...files,
  });
}

t.test('a test that fails in some runs is listed with its count and the runs; exit 1', async (t) => {
  const dir = fixture(t, { 'flaky.test.mjs': FLAKY, 'steady.test.mjs': "import t from 'tap';\nt.ok(true, 'always');\n" });
  const out = join(dir, 'out');
  const r = await execa('node', [SCRIPT, '2', '--no-build', '--out', out, '--', 'flaky.test.mjs', 'steady.test.mjs'], { cwd: dir, reject: false, timeout: 120_000 });
  t.equal(r.exitCode, 1, 'a run failed, so the script fails');
  t.match(r.stdout, /^run 1\/2: pass in \d+ s: 3 passed, 0 failed, 0 skipped$/m);
  t.match(r.stdout, /^run 2\/2: FAIL in \d+ s: 2 passed, 1 failed, 0 skipped\n {2}not ok: flaky\.test\.mjs > group > fails on even runs$/m);
  t.match(r.stdout, /^2 runs: 1 passed, 1 failed$/m);
  t.match(r.stdout, /^\| flaky\.test\.mjs > group > fails on even runs \| 1\/2 \| 2 \|$/m, 'the leaf assertion, not the enclosing subtest or file');
  t.notMatch(r.stdout, /^\| flaky\.test\.mjs > group \|/m);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runs: Array<{ exitCode: number; failures: string[]; log: string }> };
  t.same(summary.runs.map((x) => x.exitCode === 0), [true, false]);
  t.ok(summary.runs.every((x) => existsSync(x.log)), 'each run keeps its TAP log');
});

t.test('every run green: exit 0 and says so', async (t) => {
  const dir = fixture(t, { 'steady.test.mjs': "import t from 'tap';\nt.ok(true, 'always');\n" });
  const r = await execa('node', [SCRIPT, '1', '--no-build', '--out', join(dir, 'out'), '--', 'steady.test.mjs'], { cwd: dir, reject: false, timeout: 120_000 });
  t.equal(r.exitCode, 0, 'exit 0');
  t.match(r.stdout, /^1 runs: 1 passed, 0 failed\nNo test failed in any run\.$/m);
});

t.test('--load runs a busy loop per core beside the suite and stops them after', async (t) => {
  const dir = fixture(t, { 'load.test.mjs': "import t from 'tap';\nimport { execSync } from 'node:child_process';\nt.match(execSync('ps -eo args').toString(), process.env.GDH_TEST_REPEAT_LOAD, 'the load runs meanwhile');\n" });
  const child = execa('node', [SCRIPT, '1', '--load', '--no-build', '--out', join(dir, 'out'), '--', 'load.test.mjs'], { cwd: dir, reject: false, timeout: 120_000 });
  const r = await child;
  t.equal(r.exitCode, 0, 'exit 0');
  t.match(r.stdout, /^run 1\/1 \(under load\): pass/m);
  const left = await execa('ps', ['-eo', 'args']);
  t.notMatch(left.stdout, `gdh-load-${child.pid}`, 'no busy loop is left');
});

t.test('usage errors exit 2 and say what is wrong', async (t) => {
  for (const [args, msg] of [[[], /N \(the number of runs, at least 1\) is missing/], [['0'], /is missing/], [['3', '--fast'], /unknown argument "--fast"/]] as const) {
    const r = await execa('node', [SCRIPT, ...args], { reject: false });
    t.equal(r.exitCode, 2, args.join(' '));
    t.match(r.stderr, msg);
    t.match(r.stderr, /usage: npm run test:repeat -- N/);
  }
});

t.test('interrupted, it stops the suite it is running and its load, starts no next run, and counts none as failed', async (t) => {
  // The test writes its own pid, then waits; the script is interrupted while it waits.
  const SLOW = "import t from 'tap';\nimport { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./pid', import.meta.url), String(process.pid));\nt.test('waits', () => new Promise((r) => setTimeout(r, 60_000)));\n";
  const dir = fixture(t, { 'slow.test.mjs': SLOW });
  const child = execa('node', [SCRIPT, '3', '--load', '--no-build', '--out', join(dir, 'out'), '--', 'slow.test.mjs'], { cwd: dir, reject: false, timeout: 120_000 });
  const pidFile = join(dir, 'pid');
  for (let i = 0; i < 300 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
  t.ok(existsSync(pidFile), 'the slow test started');
  const testPid = Number(readFileSync(pidFile, 'utf8'));
  // A signal to the script alone, as a CI runner or `kill` sends it; not to its process group.
  child.kill('SIGINT');
  const r = await child;
  t.equal(r.exitCode, 130, 'exit 130 on SIGINT');
  t.match(r.stdout, /^run 1\/3: interrupted after \d+ s \(not counted\)$/m, 'the stopped run is said to be interrupted');
  t.notMatch(r.stdout, /FAIL|run 2\/3/, 'not counted as a failure, and no next run started');
  await new Promise((res) => setTimeout(res, 1500));
  t.equal(Number(readFileSync(pidFile, 'utf8')), testPid, 'no second run wrote its test pid after the script exited');
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  t.notOk(alive(testPid), 'the test process it was running is gone');
  const ps = (await execa('ps', ['-eo', 'args'])).stdout;
  t.notMatch(ps, new RegExp(`gdh-load-${child.pid}`), 'and so are its busy loops');
  t.notMatch(ps, new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*slow\\.test\\.mjs`), 'no tap worker for the fixture remains');
});
