#!/usr/bin/env node
// Runs the test suite N times and prints which tests failed in which runs, so flakiness is seen,
// never hidden: nothing is retried. Usage (from the repository root):
//   npm run test:repeat -- N [--load] [--no-build] [--out DIR] [-- TAP-ARGS...]
// --load runs one busy loop per core beside every run (the suite under CPU pressure).
// Exit 0 when every run passed, 1 when any failed, 2 on a usage error.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from 'tap-parser';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm run test:repeat -- N [--load] [--no-build] [--out DIR] [-- TAP-ARGS...]';

function parseArgs(argv) {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const opts = { runs: NaN, load: false, build: true, out: join(ROOT, 'results', 'test-repeat'), tapArgs: dash === -1 ? [] : argv.slice(dash + 1) };
  for (let i = 0; i < own.length; i++) {
    const a = own[i];
    if (a === '--load') opts.load = true;
    else if (a === '--no-build') opts.build = false;
    else if (a === '--out') opts.out = resolve(own[++i] ?? '');
    else if (/^\d+$/.test(a) && Number.isNaN(opts.runs)) opts.runs = Number(a);
    else usage(`unknown argument "${a}"`);
  }
  if (!(opts.runs >= 1)) usage('N (the number of runs, at least 1) is missing');
  return opts;
}

function usage(why) {
  process.stderr.write(`test:repeat: ${why}\n${USAGE}\n`);
  process.exit(2);
}

// tap hands its configuration to its children through TAP_* variables; a suite started from inside
// another tap run (this script's own test) must not inherit them, or it runs as that run's child.
const ownEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TAP|_TAPJS)/.test(k)));

/** The suite run going on now, so an interrupt stops it too: a signal sent to this script alone reaches no child. */
let current;

/** Signals the running child's whole process group: tap leaves its test workers running when only it is told. */
const signalGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Gone already.
  }
};

/** Stops the running suite, tap and every test process it started, killing them if they linger. */
function stopCurrent() {
  const child = current;
  if (!child) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      done();
    }, 15_000);
    const finish = () => {
      clearTimeout(force);
      // Test processes tap did not wait for are in the group too.
      signalGroup(child, 'SIGKILL');
      done();
    };
    if (child.exitCode !== null || child.signalCode !== null) finish();
    else child.once('close', finish);
    signalGroup(child, 'SIGINT');
  });
}

function run(cmd, args, { log, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    // Its own process group, so an interrupt can stop it with everything it started (see stopCurrent).
    const child = spawn(cmd, args, { cwd: process.cwd(), env: { ...ownEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    const chunks = [];
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (d) => {
        chunks.push(d);
        log?.write(d);
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? 128, signal, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** The failing leaf assertions of a TAP stream (a failing subtest is listed only through what failed in it). */
export function failuresOf(tap) {
  const failed = [];
  const watch = (p) => {
    p.on('child', watch);
    p.on('assert', (r) => {
      if (!r.ok && !r.todo && !r.skip) failed.push(r.fullname || r.name);
    });
  };
  const parser = new Parser();
  watch(parser);
  parser.end(tap);
  const leaves = failed.filter((name) => !failed.some((other) => other !== name && other.startsWith(`${name} > `)));
  return [...new Set(leaves)];
}

/** tap's closing `# { total: N, pass: N, fail: N, skip: N }` line, or null when the run ended without one. */
export function summaryOf(tap) {
  const line = tap.match(/^# \{ total: .*\}$/gm)?.at(-1);
  if (!line) return null;
  const n = (k) => Number(line.match(new RegExp(`${k}: (\\d+)`))?.[1] ?? 0);
  return { total: n('total'), pass: n('pass'), fail: n('fail'), skip: n('skip') };
}

function startLoad() {
  // The marker argument names this run's loops, so a test can tell them from anyone else's.
  const loops = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}', `gdh-load-${process.pid}`], { stdio: 'ignore' }));
  const exited = loops.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', r))));
  return async () => {
    loops.forEach((c) => c.kill('SIGKILL'));
    await Promise.all(exited);
  };
}

const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(opts.out, { recursive: true });
  if (opts.build) {
    const b = await run('npm', ['run', '--silent', 'build']);
    const tc = b.code === 0 ? await run('npm', ['run', '--silent', 'typecheck']) : b;
    if (tc.code !== 0) {
      process.stderr.write(`${tc.output}\ntest:repeat: the build or type check failed; no run was started\n`);
      process.exit(1);
    }
  }
  const tap = join(ROOT, 'node_modules', '.bin', 'tap');
  const runs = [];
  const stopLoad = opts.load ? startLoad() : async () => {};
  // Set at once on a signal: the run it stops is not counted as failed, and no next run starts
  // while the stopping is awaited.
  let stopping = false;
  const interrupted = async () => {
    stopping = true;
    await Promise.all([stopCurrent(), stopLoad()]);
    process.exit(130);
  };
  process.on('SIGINT', interrupted).on('SIGTERM', interrupted);
  try {
    for (let i = 1; i <= opts.runs && !stopping; i++) {
      const logFile = join(opts.out, `run-${i}.tap`);
      const log = createWriteStream(logFile);
      const started = Date.now();
      // The tap reporter prints the whole TAP stream, nested subtests included, and the closing summary.
      // GDH_TEST_REPEAT_LOAD names this run's busy loops (their marker argument) to the tests.
      const env = opts.load ? { GDH_TEST_REPEAT_LOAD: `gdh-load-${process.pid}` } : {};
      const r = await run(tap, ['--reporter=tap', ...opts.tapArgs], { log, env });
      log.end();
      const ms = Date.now() - started;
      if (stopping) {
        process.stdout.write(`run ${i}/${opts.runs}: interrupted after ${seconds(ms)} (not counted)\n`);
        // The signal handler exits once the suite and the load are down; nothing more starts here.
        await new Promise(() => {});
      }
      const summary = summaryOf(r.output);
      const failures = failuresOf(r.output);
      if (r.code !== 0 && failures.length === 0) failures.push(summary ? `(tap exited ${r.code}; no failing assertion was reported)` : `(tap exited ${r.code} without a summary)`);
      runs.push({ run: i, ms, exitCode: r.code, summary, failures, log: logFile });
      const counts = summary ? `${summary.pass} passed, ${summary.fail} failed, ${summary.skip} skipped` : 'no summary';
      process.stdout.write(`run ${i}/${opts.runs}${opts.load ? ' (under load)' : ''}: ${r.code === 0 ? 'pass' : 'FAIL'} in ${seconds(ms)}: ${counts}\n`);
      for (const f of failures) process.stdout.write(`  not ok: ${f}\n`);
    }
  } finally {
    await stopLoad();
  }
  const byTest = new Map();
  for (const r of runs) for (const f of r.failures) byTest.set(f, [...(byTest.get(f) ?? []), r.run]);
  const lines = ['', `${runs.length} runs${opts.load ? ' under load' : ''}: ${runs.filter((r) => r.exitCode === 0).length} passed, ${runs.filter((r) => r.exitCode !== 0).length} failed`];
  if (byTest.size === 0) lines.push('No test failed in any run.');
  else {
    lines.push('', '| test | failed | in runs |', '|---|---|---|');
    for (const [name, which] of [...byTest].sort((a, b) => b[1].length - a[1].length)) lines.push(`| ${name.replaceAll('|', '\\|')} | ${which.length}/${runs.length} | ${which.join(', ')} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(join(opts.out, 'summary.json'), `${JSON.stringify({ load: opts.load, tapArgs: opts.tapArgs, runs }, null, 2)}\n`);
  process.exit(runs.every((r) => r.exitCode === 0) ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
