/** CI reporters: JUnit XML (checked with xmllint) and the GitHub Actions annotations and summary. */
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { githubAnnotations, githubSummary, reportToGithub } from '../../src/report/github.js';
import { renderJunit } from '../../src/report/junit.js';
import { cellResult, runResult } from '../helpers/fixtures.js';

const skipped = cellResult('b:go1.27.4:cgo=1:netdns=cgo', 'skip');
skipped.reason = 'CGO_ENABLED=1 needs a C compiler';
const errored = cellResult('b:go1.27.4:cgo=0:netdns=cgo', 'error');
errored.reason = 'the probe did not finish in time';
const odd = cellResult('b:go1.19.8:cgo=0:netdns=go', 'pass');
odd.observed = { path: 'glibc', evidence: ['EDNS size 1200 (glibc)'], disagrees: true };
const run = runResult([
  cellResult('a:go1.19.8:cgo=0:netdns=default', 'pass'),
  cellResult('a:go1.19.8:cgo=1:netdns=default', 'fail', 'cgo'),
  cellResult('a:go1.27.4:cgo=0:netdns=default', 'slow'),
  skipped,
  errored,
  odd,
]);
run.cells[1]!.checks[0]!.problems = ['expected ok, got error "50% of <bad> & worse"', 'second, problem'];

t.test('JUnit: well-formed, a suite per scenario, a case per cell, verdicts mapped', async (t) => {
  const xml = renderJunit(run);
  const dir = t.testdir({});
  const file = join(dir, 'junit.xml');
  writeFileSync(file, xml);
  const lint = await execa('xmllint', ['--noout', file], { reject: false });
  t.equal(lint.exitCode, 0, `xmllint: ${lint.stderr}`);
  t.match(xml, /<testsuites [^>]*tests="6" failures="2" errors="1" skipped="1"/);
  t.match(xml, /<testsuite name="a"[^>]*tests="3" failures="2"/);
  t.match(xml, /<testsuite name="b"[^>]*tests="3" failures="0" errors="1" skipped="1"/);
  t.match(xml, /<testcase classname="a" name="a:go1\.19\.8:cgo=1:netdns=default"[^>]*>\s*<failure message="host app\.example\.test: expected ok, got error &quot;50% of &lt;bad> &amp; worse&quot;/);
  t.match(xml, /type="slow"/);
  t.match(xml, /<error message="the probe did not finish in time"/);
  t.match(xml, /<skipped\/>\s*<system-out><!\[CDATA\[CGO_ENABLED=1 needs a C compiler/);
  t.match(xml, /repro: go-dns-harness repro 'a:go1\.19\.8:cgo=1:netdns=default'/);
  t.match(xml, /observed on the wire: glibc \(DISAGREES\)/);
});

t.test('GitHub: annotations escaped and pointing at the scenario file; the summary lists what did not pass', async (t) => {
  const dir = t.testdir({ 'a.yaml': 'name: a\n' });
  const lines = githubAnnotations(run, dir);
  t.equal(lines.length, 4, 'fail, error, slow, and one disagreement');
  t.equal(lines[0], `::error file=${join(dir, 'a.yaml').replace(/:/g, '%3A')},title=a%3Ago1.19.8%3Acgo=1%3Anetdns=default::host app.example.test: expected ok, got error "50%25 of <bad> & worse"%0Ahost app.example.test: second, problem%0Arepro: go-dns-harness repro 'a:go1.19.8:cgo=1:netdns=default'`);
  t.match(lines[1], /^::warning file=.*a\.yaml,title=a%3Ago1\.27\.4%3Acgo=0%3Anetdns=default::slower than expected/);
  t.match(lines[2], /^::error title=b%3Ago1\.27\.4%3Acgo=0%3Anetdns=cgo::harness error: the probe did not finish in time/, 'no file= when the scenario file is not there');
  t.match(lines[3], /^::warning title=b%3Ago1\.19\.8%3Acgo=0%3Anetdns=go::Go declared go, the wire shows glibc: EDNS size 1200 \(glibc\)/);
  const summary = githubSummary(run);
  t.match(summary, /\| 2 \| 1 \| 1 \| 1 \| 1 \| 0 \|/);
  t.match(summary, /\| fail \| `a:go1\.19\.8:cgo=1:netdns=default` \| expected ok, got error "50% of <bad> & worse"; second, problem \| `go-dns-harness repro/);
  t.notMatch(summary, /\| skip \| `/, 'skipped cells are counted, not listed');
});

t.test('reportToGithub acts only under GitHub Actions, and appends to the step summary', async (t) => {
  const dir = t.testdir({ 'summary.md': '# before\n' });
  const out: string[] = [];
  t.equal(reportToGithub(run, {}, (s) => out.push(s)), false);
  t.same(out, [], 'nothing outside GitHub Actions');
  t.equal(reportToGithub(run, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') }, (s) => out.push(s)), true);
  t.equal(out.filter((l) => l.startsWith('::')).length, 4);
  t.match(readFileSync(join(dir, 'summary.md'), 'utf8'), /^# before\n## go-dns-harness\n/);
});
