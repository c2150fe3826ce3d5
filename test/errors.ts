/** The error catalogue: codes, the exit code each maps to, causes kept and printed once. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { causeChain, ConfigError, ERROR_CODES, errorCatalogue, exitCodeFor, HarnessError, UsageError } from '../src/errors.js';
import { ResultsError } from '../src/results/read.js';
import { PlanError, parseCellId } from '../src/plan/cells.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SRC = fileURLToPath(new URL('../src', import.meta.url));

t.test('each code maps to one exit code: 2 for the input, 3 for the machine, 1 for a failure of ours', async (t) => {
  t.equal(exitCodeFor(new UsageError('x')), 2);
  t.equal(exitCodeFor(new ConfigError('f', 1, 'no')), 2);
  t.equal(exitCodeFor(new ResultsError('x')), 2);
  t.equal(exitCodeFor(new PlanError('x')), 2);
  t.equal(exitCodeFor(new HarnessError('GDH_SANDBOX', 'x')), 3);
  t.equal(exitCodeFor(new HarnessError('GDH_TOOLCHAIN', 'x')), 3);
  t.equal(exitCodeFor(new HarnessError('GDH_PROBE_BUILD', 'x')), 1);
  t.equal(exitCodeFor(new Error('x')), 1, 'anything else is a bug');
  for (const [code, e] of Object.entries(ERROR_CODES)) {
    t.match(code, /^GDH_[A-Z_]+$/);
    t.ok([1, 2, 3].includes(e.exit), `${code} exits 1, 2 or 3`);
    t.ok(e.means.length > 20, `${code} says what it means`);
  }
  t.equal(errorCatalogue().split('\n').filter(Boolean).length, Object.keys(ERROR_CODES).length);
});

t.test('every code raised in src/ is in the catalogue, and src/ raises no bare Error', async (t) => {
  const files = (function walk(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));
  })(SRC);
  const raised = new Set<string>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:HarnessError\(|super\()'(GDH_[A-Z_]+)'/g)) raised.add(m[1] as string);
    t.notMatch(text, /new Error\(/, `${f.slice(SRC.length + 1)} raises typed errors only`);
  }
  for (const code of raised) t.ok(code in ERROR_CODES, `${code} is in the catalogue`);
  t.ok(raised.size >= 10, 'the scan found the codes');
});

t.test('the cause is kept, and printed only where the message does not already say it', async (t) => {
  const root = Object.assign(new Error('EACCES: permission denied, open /x'), { code: 'EACCES' });
  const quoted = new HarnessError('GDH_RESULTS', '/x: cannot read a result: EACCES: permission denied, open /x', { cause: root });
  t.equal(quoted.cause, root);
  t.same(causeChain(quoted), [], 'the message quotes its cause');
  const wrapped = new HarnessError('GDH_TOOLCHAIN', 'fetching Go 1.27 failed', { cause: new Error('Command failed with exit code 100: apt-get download\nE: one\nE: two\nE: three') });
  t.same(causeChain(wrapped), ['Command failed with exit code 100: apt-get download\nE: one\nE: two\n...'], 'a long cause is cut to its first lines');
  let caught: unknown;
  try {
    parseCellId('s:go1.27.1:cgo=2:netdns=go');
  } catch (err) {
    caught = err;
  }
  t.ok(caught instanceof PlanError, 'a bad id part is a PlanError');
  t.equal((caught as Error).message, '"s:go1.27.1:cgo=2:netdns=go": cgo=2 is not cgo=0|1');
  t.equal(((caught as Error).cause as Error).message, 'cgo=2 is not cgo=0|1', 'its cause is kept');
  const long = new HarnessError('GDH_PROBE_BUILD', 'building failed', { detail: 'main.go:3: undefined: x' });
  t.equal(long.detail, 'main.go:3: undefined: x');
  t.equal(long.exitCode, 1);
});

t.test('help errors prints the catalogue; an error with a long message prints it under the short one', async (t) => {
  const r = await execa('node', [CLI, 'help', 'errors'], { reject: false });
  t.equal(r.exitCode, 0);
  for (const code of Object.keys(ERROR_CODES)) t.match(r.stdout, new RegExp(`\\n${code} +exit \\d`));
  const bad = await execa('node', [CLI, 'repro', 'nope:go1.27.1:cgo=2:netdns=go'], { reject: false, env: { GDH_DEBUG: '1' } });
  t.equal(bad.exitCode, 2);
  t.match(bad.stderr, /^go-dns-harness: "nope:go1\.27\.1:cgo=2:netdns=go": cgo=2 is not cgo=0\|1\n  \[GDH_PLAN\] PlanError/);
  t.notMatch(bad.stderr, /because:/, 'the cause is in the message already');
});
