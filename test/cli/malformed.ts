/**
 * Malformed input, tried as a new user would: scenario files, result files and command lines
 * that are wrong. Each must end in exit 2 (the input) or 3 (the machine) with a message naming
 * the file (with line:column where there is a text position), the field and the value; no stack
 * trace, nothing poured on the terminal, and nothing written.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { cellResult, runResult } from '../helpers/fixtures.js';
import { cli, GOOD } from '../helpers/matrix-cli.js';

interface Case {
  name: string;
  /** Files of the case's own directory (scenarios go in scenarios/). */
  files?: Record<string, string>;
  args: (dir: string) => string[];
  exit?: 2 | 3;
  stderr: RegExp;
}

const result = (): ReturnType<typeof runResult> => runResult([cellResult('good:go1.27.1:cgo=0:netdns=go', 'pass'), cellResult('good:go1.27.1:cgo=1:netdns=cgo', 'pass', 'cgo')]);
const resultWith = (edit: (doc: Record<string, any>) => void): string => {
  const doc = JSON.parse(JSON.stringify(result())) as Record<string, any>;
  edit(doc);
  return JSON.stringify(doc, null, 1);
};
const GOOD_RESULT = JSON.stringify(result(), null, 1);
const scenario = (edit: (text: string) => string, name = 'good'): Record<string, string> => ({ [`scenarios/${name}.yaml`]: edit(GOOD) });
const list = (dir: string): string[] => ['list', '--scenarios-dir', join(dir, 'scenarios')];
const BIG = 'x'.repeat(1_000_000);

const cases: Case[] = [
  // Scenario files.
  { name: 'YAML that does not parse', files: scenario((s) => s.replace('lookups: [ip4 app.example.test]', 'lookups: [ip4 app.example.test')), args: list, stderr: /good\.yaml:\d+:\d+: \(YAML\): .* is not valid; /i },
  { name: 'a key twice', files: scenario((s) => `${s}summary: again\n`), args: list, stderr: /good\.yaml:18:1: \(YAML\): "summary: again" is not valid; Map keys must be unique/ },
  { name: 'a YAML alias bomb', files: scenario((s) => `${s}a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`), args: list, stderr: /good\.yaml:19:8: \(YAML\): "aliases" is not valid; they expand too far/ },
  { name: 'an unknown top-level key', files: scenario((s) => `${s}colour: red\n`), args: list, stderr: /good\.yaml:18:1: colour: "colour" is not valid; an unknown key at the top level/ },
  { name: 'an unknown key in a server', files: scenario((s) => s.replace('    records:', '    recrods: {}\n    records:')), args: list, stderr: /good\.yaml:8:5: servers\[0\]\.recrods: "recrods" is not valid; an unknown key under servers\[0\]/ },
  { name: 'no summary', files: scenario((s) => s.replace(/^summary: .*\n/m, '')), args: list, stderr: /good\.yaml:1:1: summary: missing; Invalid input: expected string/ },
  { name: 'a name that is not the file name', files: scenario((s) => s, 'other'), args: list, stderr: /other\.yaml:1:7: name: "good" is not valid; must match the file name "other"/ },
  { name: 'an upper-case name', files: { 'scenarios/Good.yaml': GOOD.replace('name: good', 'name: Good') }, args: list, stderr: /Good\.yaml:1:7: name: "Good" is not valid; lower-case/ },
  { name: 'two files with one scenario name', files: { ...scenario((s) => s), 'scenarios/good.yml': GOOD }, args: list, stderr: /good\.yml:1:7: name: "good" is not valid; is also the name of .*scenarios\/good\.yaml/ },
  { name: 'nothing to look up', files: scenario((s) => s.replace('lookups: [ip4 app.example.test]', 'lookups: []')), args: list, stderr: /good\.yaml: lookups: \[\] is not valid for run/ },
  { name: 'a lookup without a kind', files: scenario((s) => s.replace('lookups: [ip4 app.example.test]', 'lookups: [app.example.test]')), args: list, stderr: /good\.yaml:9:11: lookups\[0\]: "app\.example\.test" is not valid; expected "KIND NAME"/ },
  { name: 'an outcome that is not one', files: scenario((s) => s.replace('    result: ok\n    addrs: [192.0.2.10]\n    path: cgo', '    result: maybe\n    path: cgo')), args: list, stderr: /good\.yaml:12:13: expect\[0\]\.result: "maybe" is not valid; Invalid option/ },
  { name: 'a Go range that is not one', files: scenario((s) => s.replace('when: {cgo: 1, netdns: cgo}', 'when: {go: "2.0"}')), args: list, stderr: /good\.yaml:11:16: expect\[0\]\.when\.go: "2\.0" is not valid; a Go version or range/ },
  { name: 'a listen address off loopback', files: scenario((s) => s.replace('127.0.0.53:53/udp,', '10.0.0.1:53/udp,')), args: list, stderr: /good\.yaml:7:14: servers\[0\]\.listen\[0\]: "10\.0\.0\.1:53\/udp" is not valid; only loopback/ },
  { name: 'two servers on one address', files: scenario((s) => s.replace('lookups:', '  - listen: [127.0.0.53:53/udp]\nlookups:')), args: list, stderr: /good\.yaml:9:14: servers\[1\]\.listen\[0\]: "127\.0\.0\.53:53\/udp" is not valid; servers\[0\] listens there already/ },
  { name: 'one address listed twice', files: scenario((s) => s.replace('127.0.0.53:53/tcp]', '127.0.0.53:53/udp]')), args: list, stderr: /good\.yaml:7:33: servers\[0\]\.listen\[1\]: "127\.0\.0\.53:53\/udp" is not valid; listed twice/ },
  { name: 'a megabyte where a word goes (the echo is cut)', files: scenario((s) => s.replace('    result: ok\n    addrs: [192.0.2.10]\n    path: cgo', `    result: "${BIG}"\n    path: cgo`)), args: list, stderr: /good\.yaml:12:13: expect\[0\]\.result: "x{100,}… \(1000002 characters\) is not valid/ },
  { name: 'a server kind that is not one', files: scenario((s) => s.replace('  - listen: [127.0.0.53:53/udp, 127.0.0.53:53/tcp]', '  - kind: resolvd\n    listen: [127.0.0.53:53/udp, 127.0.0.53:53/tcp]')), args: list, stderr: /good\.yaml:7:11: servers\[0\]\.kind: "resolvd" is not valid/ },
  { name: 'a libc that is not one', files: scenario((s) => s.replace('when: {cgo: 1, netdns: cgo}', 'when: {libc: uclibc}')), args: list, stderr: /good\.yaml:11:18: expect\[0\]\.when\.libc: "uclibc" is not valid/ },
  { name: 'an empty file', files: { 'scenarios/good.yaml': '' }, args: list, stderr: /good\.yaml:1:1: \(root\): null is not valid; Invalid input: expected object/ },
  { name: 'a list, not a map', files: { 'scenarios/good.yaml': '- name: good\n' }, args: list, stderr: /good\.yaml:1:1: \(root\): \[\{"name":"good"\}\] is not valid; Invalid input: expected object/ },
  { name: 'a scenarios directory that is not there', args: (d) => ['list', '--scenarios-dir', join(d, 'nope')], stderr: /scenarios: ".*nope" is not valid; no such directory/ },
  { name: 'a --scenario that matches none', files: scenario((s) => s), args: (d) => [...list(d), '--scenario', 'nothing*'], stderr: /--scenario: "nothing\*" is not valid; matches no scenario; known: good/ },
  { name: 'lint of a broken scenario', files: scenario((s) => `${s}colour: red\n`), args: (d) => ['lint', '--scenarios-dir', join(d, 'scenarios')], stderr: /good\.yaml:18:1: colour: "colour" is not valid/ },
  { name: 'exec of a scenario file that does not parse', files: { 'bad.yaml': 'name: [\n' }, args: (d) => ['exec', join(d, 'bad.yaml'), '--', 'true'], stderr: /bad\.yaml:\d+:\d+: \(YAML\)/ },

  // Result files.
  { name: 'a result that is not there', args: (d) => ['report', join(d, 'nope.json')], stderr: /nope\.json: cannot read a result: no such file/ },
  { name: 'a directory for a result', args: (d) => ['diff', d, d], stderr: /: cannot read a result: is a directory \(give its results\.json\)/ },
  { name: 'a result that is not JSON', files: { 'r.json': '{"cells": [' }, args: (d) => ['report', join(d, 'r.json')], stderr: /r\.json:1:12: not JSON \(close bracket expected\)/ },
  { name: 'an empty result file', files: { 'r.json': '' }, args: (d) => ['merge', join(d, 'r.json')], stderr: /r\.json:1:1: not JSON \(an empty file\)/ },
  { name: 'a result of another schema version', files: { 'r.json': '{"schemaVersion": 99, "cells": []}' }, args: (d) => ['suggest', join(d, 'r.json')], stderr: /r\.json:1:19: schemaVersion 99 is not a go-dns-harness result/ },
  { name: 'a JSON array for a result', files: { 'r.json': '[]' }, args: (d) => ['report', join(d, 'r.json'), '--format', 'html'], stderr: /r\.json:1:1: schemaVersion undefined is not a go-dns-harness result/ },
  { name: 'a result without its meta', files: { 'r.json': resultWith((d) => delete d.meta) }, args: (d) => ['report', join(d, 'r.json')], stderr: /r\.json:1:1: meta: missing; Invalid input: expected object/ },
  { name: 'a cell without an id', files: { 'r.json': resultWith((d) => delete d.cells[1].id) }, args: (d) => ['diff', join(d, 'r.json'), join(d, 'r.json')], stderr: /r\.json:\d+:\d+: cells\[1\]\.id: missing; Invalid input: expected string/ },
  { name: 'a cell with cgo=2', files: { 'r.json': resultWith((d) => (d.cells[0].axes.cgo = '2')) }, args: (d) => ['baseline', 'write', join(d, 'r.json'), '--out', join(d, 'b.json')], stderr: /r\.json:\d+:\d+: cells\[0\]\.axes\.cgo: "2" is not valid; Invalid option: expected one of "0"\|"1"/ },
  { name: 'a verdict that is not one', files: { 'r.json': resultWith((d) => (d.cells[0].verdict = 'great')) }, args: (d) => ['flakes', join(d, 'r.json'), join(d, 'r.json')], stderr: /r\.json:\d+:\d+: cells\[0\]\.verdict: "great" is not valid/ },
  { name: 'a lookup with a string for its time', files: { 'r.json': resultWith((d) => (d.cells[0].lookups[0].elapsedMs = BIG)) }, args: (d) => ['report', join(d, 'r.json'), '--format', 'changes'], stderr: /r\.json:\d+:\d+: cells\[0\]\.lookups\[0\]\.elapsedMs: "x+… \(1000002 characters\) is not valid; Invalid input: expected number/ },
  { name: 'a baseline that is not JSON', files: { 'r.json': GOOD_RESULT, 'b.json': '{' }, args: (d) => ['baseline', 'check', join(d, 'r.json'), '--baseline', join(d, 'b.json')], stderr: /b\.json:1:2: not JSON \(close brace expected\); write it again/ },
  { name: 'a baseline that is not there', files: { 'r.json': GOOD_RESULT }, args: (d) => ['baseline', 'check', join(d, 'r.json'), '--baseline', join(d, 'nope.json')], stderr: /nope\.json: / },

  // The command line.
  { name: 'an unknown command', args: () => ['frobnicate'], stderr: /unknown command "frobnicate"/ },
  { name: 'an unknown option', args: () => ['report', 'r.json', '--colour'], stderr: /report: Unknown option '--colour'\nusage: go-dns-harness report RESULTS\.json/ },
  { name: 'a missing argument', args: () => ['diff', 'a.json'], stderr: /diff: B\.json is missing/ },
  { name: 'an argument too many', args: () => ['repro', 'a', 'b'], stderr: /repro: unexpected argument "b"/ },
  { name: 'a sub-command that is not one', args: () => ['baseline', 'show', 'r.json'], stderr: /baseline: "show" is not one of write, check/ },
  { name: 'an option without its value', args: () => ['run', '--jobs'], stderr: /run: Option '--jobs <value>' argument missing/ },
  { name: '--jobs 0', args: (d) => ['run', '--jobs', '0', '--out', join(d, 'out')], stderr: /--jobs: "0" is not a positive whole number/ },
  { name: '--shard 5', args: (d) => [...list(d), '--shard', '5'], files: scenario((s) => s), stderr: /--shard: "5" is not i\/n/ },
  { name: '--cgo 2', args: (d) => [...list(d), '--cgo', '2'], files: scenario((s) => s), stderr: /--cgo/ },
  { name: '--netdns bogus', args: (d) => [...list(d), '--netdns', 'bogus'], files: scenario((s) => s), stderr: /--netdns/ },
  { name: '--gomod latest', args: (d) => [...list(d), '--gomod', 'latest'], files: scenario((s) => s), stderr: /--gomod: "latest" is not a go line like 1\.18/ },
  { name: 'a Go version misspelt for fetch', args: () => ['toolchains', 'fetch', 'one.twenty'], stderr: /"one\.twenty" is not a Go version; write it like 1\.22/ },
  { name: 'a --go path that is not a Go', args: (d) => ['run', '--go', '/bin/true', '--no-fetch', '--out', join(d, 'out'), '--scenarios-dir', join(d, 'scenarios')], files: scenario((s) => s), stderr: /--go \/bin\/true: \/bin\/true does not work as a Go toolchain/ },
  { name: 'a Go that is not here', args: (d) => ['run', '--go', '1.99', '--no-fetch', '--out', join(d, 'out'), '--scenarios-dir', join(d, 'scenarios')], files: scenario((s) => s), stderr: /--go 1\.99: not a Go version that was found/ },
  { name: 'a cell id that is not one', args: () => ['repro', 'good'], stderr: /"good" is not a cell id; ids look like/ },
  { name: 'a cell id with a bad part', args: () => ['repro', 'stub-refused:go1.27.1:cgo=2:netdns=go'], stderr: /cgo=2 is not cgo=0\|1/ },
  { name: 'exec without a command', args: () => ['exec', 'stub-refused'], stderr: /exec: CMD \[ARGS\.\.\.\] is missing after --/ },
  { name: 'exec --timeout x', args: () => ['exec', 'stub-refused', '--timeout', 'x', '--', 'true'], stderr: /--timeout: "x" is not a number of seconds/ },
  { name: 'exec --stub fake', args: () => ['exec', 'stub-refused', '--stub', 'fake', '--', 'true'], stderr: /--stub: "fake" is not one of real, emulated, passthrough/ },
  { name: 'report --format nope', files: { 'r.json': GOOD_RESULT }, args: (d) => ['report', join(d, 'r.json'), '--format', 'nope'], stderr: /--format: "nope" is not valid|nope/ },
  { name: 'serve off loopback', args: () => ['serve', '--listen', '10.1.2.3:53/udp'], stderr: /listen\[0\]: "10\.1\.2\.3:53\/udp" is not valid; only loopback/ },
  { name: 'serve with a rule that is not JSON', args: () => ['serve', '--listen', '127.0.0.1:0/udp', '--rule', '{nope'], stderr: /--rule: "\{nope" is not valid; expected JSON/ },
  { name: 'serve with a config file that is not there', args: (d) => ['serve', '--config', join(d, 'nope.json')], stderr: /--config: ".*nope\.json" is not valid; cannot read it \(ENOENT\)/ },
  { name: 'flakes --reruns 0', files: { 'r.json': GOOD_RESULT }, args: (d) => ['flakes', join(d, 'r.json'), join(d, 'r.json'), '--reruns', '0'], stderr: /--reruns: "0" is not a positive whole number/ },
];

/** Every file under a directory with its size and mtime, to see that nothing was written. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => {
      const s = statSync(join(dir, f));
      return `${f} ${s.size} ${s.mtimeMs}`;
    })
    .sort();
}

t.test(`${cases.length} malformed inputs: exit 2 or 3, the file, field and value named, no stack, nothing written`, async (t) => {
  t.ok(cases.length >= 40, 'at least 40 cases');
  const root = t.testdir({});
  for (const [i, c] of cases.entries()) {
    const dir = join(root, `case-${i}`);
    mkdirSync(join(dir, 'scenarios'), { recursive: true });
    for (const [f, text] of Object.entries(c.files ?? {})) writeFileSync(join(dir, f), text);
    const before = snapshot(dir);
    const r = await cli(c.args(dir));
    t.equal(r.exitCode, c.exit ?? 2, `${c.name}: exit code (stderr: ${r.stderr.slice(0, 300)})`);
    t.match(r.stderr, c.stderr, `${c.name}: the message`);
    t.notMatch(r.stderr, /This is a bug|\n\s+at .*\.js:\d+/, `${c.name}: no stack trace`);
    t.ok(r.stderr.length < 3000, `${c.name}: a short message (${r.stderr.length} characters)`);
    t.same(snapshot(dir), before, `${c.name}: nothing written`);
  }
  t.same(readFileSync(join(root, 'case-0', 'scenarios', 'good.yaml'), 'utf8').length > 0, true);
});
