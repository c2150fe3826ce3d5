/** Your own Go program in the matrix (run --program): built per setting, run in each scenario's sandbox, judged by its dns-expect.yaml or shown as behaviour only. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import type { RunResult } from '../../../src/results/model.js';
import { goEnv } from '../../../src/go/toolchains.js';
import { oldestAndNewest } from '../../helpers/go.js';
import { cli } from '../../helpers/matrix-cli.js';

const EXAMPLE = new URL('../../../examples/http-client', import.meta.url).pathname;
const URL_ARG = 'http://app.example.test/';
const SCENARIOS = ['--scenario', 'stub-refused', '--scenario', 'ubuntu-stub-healthy'];

const readDoc = (dir: string): RunResult => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;

t.test('without dns-expect.yaml: every cell measured, behaviour only, and the run passes', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const out = t.testdir({});
  const r = await cli(['run', '--program', EXAMPLE, ...SCENARIOS, '--go', '1.19', '--go', tcs[1]!.version, '--out', out, '--', URL_ARG]);
  t.equal(r.exitCode, 0, 'exits 0', { stderr: r.stderr });
  t.match(r.stderr, /no dns-expect\.yaml beside it, so its cells show behaviour only/);
  t.match(r.stdout, /^stub-refused\n  cgo\/netdns\s+0\/def\s+0\/go\s+0\/cgo\s+1\/def\s+1\/go\s+1\/cgo\n  go1\.19\.\d+ program http-client\s+ex1 go\s+ex1 go\s+ex1 go\s+ex1 cgo\s+ex1 go\s+ex1 cgo\n/m, 'a refusing stub: the program exits 1 on every path');
  t.match(r.stdout, /^  go1\.19\.\d+ program http-client\s+ex0 go\s+ex0 go\s+ex0 go\s+ex0 cgo\s+ex0 go\s+ex0 cgo\n/m, 'a healthy stub: exit 0');
  t.match(r.stdout, /^  exN   exit-N: your program exited with code N/m, 'the legend says what the codes mean');
  t.match(r.stdout, /24 cells: 0 pass, 0 fail, 0 slow, 0 skip, 0 error, 24 measured only \(no dns-expect\.yaml\)/);
  const doc = readDoc(out);
  const cell = doc.cells.find((c) => c.id === `stub-refused:${tcs[1]!.version}:cgo=1:netdns=cgo:program=http-client`);
  t.match(cell, { verdict: 'info', axes: { program: 'http-client' }, program: { name: 'http-client', exitCode: 1, timedOut: false, paths: [{ name: 'app.example.test', path: 'cgo' }] }, observed: { path: 'glibc' } });
  t.match(cell?.program?.stderr, /resolving app\.example\.test failed after \d+ms: lookup app\.example\.test: Temporary failure in name resolution/, "the program's own words, beside Go's trace");
  t.ok((cell?.queries[0] ?? []).length > 0, "the queries the program's lookups sent");
  const go = doc.cells.find((c) => c.id === `stub-refused:${tcs[1]!.version}:cgo=0:netdns=default:program=http-client`);
  t.match(go?.program?.stderr, /server misbehaving/, "Go's resolver words REFUSED its own way");
  t.match(readFileSync(join(out, 'results.md'), 'utf8'), /\| `exit-0` \| 🟢 works \| your program \(run --program\) exited 0 \|/, 'the Markdown legend has the program codes');
  const html = readFileSync(join(out, 'results.html'), 'utf8');
  t.match(html, /program http-client: exit 1 after \d+ ms; declared paths: app\.example\.test cgo/, "the page's details show the program's run");
  t.match(html, /exit-0/, 'and its legend the program codes');
});

t.test('with dns-expect.yaml: verdicts, and a failing expectation fails the run with the repro command', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const dir = t.testdir({ out: {} });
  const program = join(dir, 'http-client');
  cpSync(EXAMPLE, program, { recursive: true });
  writeFileSync(join(program, 'dns-expect.yaml'), `expect:
  - scenarios: [stub-refused]
    when: [{cgo: "0"}, {netdns: go}, {go: ">=1.21", netdns: default}]
    exit: 1
    stderr: server misbehaving
    paths: [go]
    minMs: 0
    maxMs: 3000
  - scenarios: [stub-refused]
    exit: 1
    stderr: Temporary failure in name resolution
    paths: [cgo]
  - scenarios: [ubuntu-stub-healthy]
    exit: 0
    stdout: /^resolved app\\.example\\.test to \\[/
`);
  const ok = await cli(['run', '--program', program, ...SCENARIOS, '--go', '1.19', '--go', tcs[1]!.version, '--out', join(dir, 'out'), '--', URL_ARG]);
  t.equal(ok.exitCode, 0, 'exits 0', { out: ok.stdout + ok.stderr });
  t.match(ok.stderr, /judged by .*dns-expect\.yaml/);
  t.match(ok.stdout, /24 cells: 24 pass, 0 fail/);

  // The healthy stub's cells now expected to fail: the run fails, and says how to reproduce.
  writeFileSync(join(program, 'dns-expect.yaml'), 'expect:\n  - scenarios: [ubuntu-stub-healthy]\n    exit: 1\n  - exit: [0, 1]\n');
  const bad = await cli(['run', '--program', program, '--scenario', 'ubuntu-stub-healthy', '--go', tcs[1]!.version, '--cgo', '0', '--netdns', 'go', '--out', join(dir, 'out2'), '--', URL_ARG]);
  t.equal(bad.exitCode, 1);
  t.match(bad.stdout, /expected exit 1, the program exited 0/);
  t.match(bad.stdout, /repro: go-dns-harness repro 'ubuntu-stub-healthy:go1\.\d+\.\d+:cgo=0:netdns=go:program=http-client' --program \S+http-client -- http:\/\/app\.example\.test\//);
  const id = readDoc(join(dir, 'out2')).cells[0]!.id;
  const again = await cli(['repro', id, '--program', program, '--', URL_ARG]);
  t.equal(again.exitCode, 1, 'repro fails as the cell did');
  t.match(again.stdout, /^program \S+\/http-client http:\/\/app\.example\.test\/ \(built from \S+ with go1\.\d+\.\d+, CGO_ENABLED=0\) with GODEBUG=netdns=go\+2$/m, 'the exact command and environment');
  t.match(again.stdout, /--- server 0 \(127\.0\.0\.53:53\/udp, 127\.0\.0\.53:53\/tcp\): 2 queries/, 'the queries');
  t.match(again.stdout, /--- verdict: fail \(\S+dns-expect\.yaml\)\n\s+.*expected exit 1, the program exited 0/);
  const noProgram = await cli(['repro', id]);
  t.equal(noProgram.exitCode, 2);
  t.match(noProgram.stderr, /is a cell of your program http-client: give it again with --program PATH/);
});

t.test('a built binary runs as it is: its own Go and cgo, the build flags refused', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const dir = t.testdir({ bin: {}, out: {} });
  const bin = join(dir, 'bin', 'client');
  const tc = tcs[0]!;
  await execa(tc.go, ['build', '-o', bin, '.'], { cwd: EXAMPLE, env: goEnv(tc, { CGO_ENABLED: '1', GOFLAGS: '-mod=readonly', GOPROXY: 'off' }), extendEnv: false });
  const r = await cli(['run', '--program', bin, '--scenario', 'ubuntu-stub-healthy', '--out', join(dir, 'out'), '--', URL_ARG]);
  t.equal(r.exitCode, 0, 'exits 0', { stderr: r.stderr });
  t.match(r.stderr, new RegExp(`a built binary \\(${tc.version.replace(/\./g, '\\.')}, CGO_ENABLED=1\\); the build axes do not apply to it`));
  const doc = readDoc(join(dir, 'out'));
  t.equal(doc.cells.length, 3, 'one Go, one cgo setting: netdns default, go and cgo');
  t.ok(doc.cells.every((c) => c.axes.go === tc.version && c.axes.cgo === '1' && c.program?.exitCode === 0));
  const withCgo = await cli(['run', '--program', bin, '--cgo', '0', '--scenario', 'ubuntu-stub-healthy', '--out', join(dir, 'out')]);
  t.equal(withCgo.exitCode, 2);
  t.match(withCgo.stderr, /is a built binary: its Go version, CGO_ENABLED, tags and C library are its own, so --cgo cannot apply/);
});

t.test('bad input: not a program, arguments without one, a program that hangs or floods', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const dir = t.testdir({
    lib: { 'go.mod': 'module example.com/lib\n\ngo 1.19\n', 'lib.go': 'package lib\n' },
    hang: { 'go.mod': 'module example.com/hang\n\ngo 1.19\n', 'main.go': 'package main\n\nimport "time"\n\nfunc main() { time.Sleep(time.Hour) }\n' },
    flood: { 'go.mod': 'module example.com/flood\n\ngo 1.19\n', 'main.go': 'package main\n\nimport (\n\t"os"\n\t"strings"\n)\n\nfunc main() {\n\tline := strings.Repeat("x", 1023) + "\\n"\n\tfor i := 0; i < 4096; i++ {\n\t\tos.Stdout.WriteString(line)\n\t}\n}\n' },
    scenarios: { 'quick.yaml': 'name: quick\nsummary: A healthy stub, and a short time limit.\nfiles:\n  resolv.conf: "nameserver 127.0.0.53\\n"\nservers:\n  - listen: [127.0.0.53:53/udp]\n    records: {app.example.test: {A: 192.0.2.10}}\nlookups: [host app.example.test]\ntimeoutMs: 1000\n' },
    out: {},
  });
  const lib = await cli(['run', '--program', join(dir, 'lib'), '--out', join(dir, 'out')]);
  t.equal(lib.exitCode, 2);
  t.match(lib.stderr, /package lib, not a main package; give the directory of a command/);
  const args = await cli(['run', '--scenario', 'stub-refused', '--out', join(dir, 'out'), '--', URL_ARG]);
  t.equal(args.exitCode, 2);
  t.match(args.stderr, /words after -- are the arguments of a --program/);
  const common = ['--scenarios-dir', join(dir, 'scenarios'), '--go', tcs[1]!.version, '--cgo', '0', '--netdns', 'go', '--out', join(dir, 'out')];
  const started = Date.now();
  const hang = await cli(['run', '--program', join(dir, 'hang'), ...common]);
  t.ok(Date.now() - started < 120_000, 'the hanging program was stopped at the cell limit');
  const hung = readDoc(join(dir, 'out')).cells[0];
  t.match(hung, { verdict: 'info', program: { timedOut: true, exitCode: null } });
  t.match(hang.stdout, /kill/, 'shown as killed');
  const flood = await cli(['run', '--program', join(dir, 'flood'), ...common]);
  t.equal(flood.exitCode, 0, 'exits 0', { stderr: flood.stderr });
  const flooded = readDoc(join(dir, 'out')).cells[0];
  t.equal(flooded?.program?.stdout.length, 1024 * 1024, 'the first MiB kept');
  t.same(flooded?.program?.dropped, { stdout: 3 * 1024 * 1024, stderr: 0 }, 'the rest counted');
});
