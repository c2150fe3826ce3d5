/** The published, generated docs: there, from a full run over every Debian Go, self-contained. */
import { readFileSync } from 'node:fs';
import t from 'tap';

const read = (f: string) => readFileSync(new URL(`../../docs/${f}`, import.meta.url), 'utf8');

t.test('compat.md: the run on top, how to read it, every Go version, the tables', async (t) => {
  const md = read('compat.md');
  t.match(md, /^# Go DNS compatibility tables\n/);
  t.match(md, /\| run \| \d{4}-\d\d-\d\dT[\d:.]+Z to \d{4}-/);
  t.match(md, /\| host \| Debian GNU\/Linux 12 \(bookworm\), kernel \S+, x64, glibc 2\.\d+(, systemd \d+ [^|]*)? \|/);
  for (const v of ['1.19', '1.21', '1.22', '1.23', '1.24', '1.25', '1.26', '1.27']) t.match(md, new RegExp(`\\| Go \\|.*go${v.replace('.', '\\.')}\\.\\d+`), `Go ${v} in the run`);
  const cells = /\| cells \| (\d+): (\d+) pass/.exec(md);
  t.ok(cells && Number(cells[1]) >= 2000, `a full run: ${cells?.[1]} cells`);
  t.match(md, /## How to read this/);
  t.match(md, /## Overview/);
  t.match(md, /## stub-refused\n/);
  t.match(md, /^\| `misbehaving` \| 🔴 fails \| /m, 'the legend of the outcome codes');
});

t.test('compat.md: which cells of edns-formerr fail and with what, and what works, without opening YAML', async (t) => {
  const section = read('compat.md').split('\n## edns-formerr\n')[1]?.split('\n## ')[0] ?? '';
  t.match(section, /^\| go1\.22\.\d+ \| 🔴 misbehaving go \| 🔴 misbehaving go \| 🔴 misbehaving go \| 🔴 misbehaving go \| 🔴 misbehaving go \| 🔴 nxdomain cgo \|$/m, 'a CGO_ENABLED=0 binary on Go 1.22: server misbehaving');
  t.match(section, /^\| go1\.22\.\d+ netedns0=0 \| 🟢 ok go \|/m, 'the workaround works');
  // A failure at once can read "misbehaving after 0.3s" for one cell of a run on a busy machine
  // (its time class is measured, not judged), so what fails is checked up to its time classes.
  t.match(section, /^What works: Go's resolver with GODEBUG=netedns0=0 on Go ≥ 1\.21\. musl 1\.2\.3, 1\.2\.5, 1\.2\.6 via cgo on every Go version\. What fails: Go's resolver: misbehaving (on|or)/m);
  t.notMatch(section.split('\nWhat works: ')[1]?.split('What fails:')[0] ?? '', /Go's resolver on|glibc/, "neither Go's resolver without the setting nor glibc works");
});

t.test('changes.md: what changed from one Go version to the next, with repro commands', async (t) => {
  const md = read('changes.md');
  t.match(md, /^# What changed between Go versions\n/);
  const step = (from: string, to: string) => md.split(`## Go ${from} → ${to} (`)[1]?.split('\n## Go ')[0] ?? '';
  t.match(step('1.19', '1.21'), /### ubuntu-stub-healthy \(1\.19 → 1\.21\)\n\n[^#]*`cgo=1:netdns=default`[^|]*\| [^|]*path \(declared\/observed\): cgo\/glibc → go\/go/, 'the Ubuntu resolv.conf path switch');
  t.match(step('1.21', '1.22'), /### badvers \(1\.21 → 1\.22\)/, 'the BADVERS change');
  t.match(step('1.22', '1.23'), /### tc-on-tcp \(1\.22 → 1\.23\)\n\n[^#]*outcome: no-answer → nxdomain/, 'TC on TCP');
  t.ok((md.match(/`go-dns-harness repro '/g) ?? []).length >= 20, 'repro commands');
});

t.test('compat.html: one self-contained page of the same run', async (t) => {
  const html = read('compat.html');
  t.notMatch(html, /<(script|link|img)[^>]+(src|href)="https?:/i, 'nothing from the network');
  t.match(html, /<script type="application\/json" id="cells">/);
  const md = read('compat.md');
  const started = /\| run \| (\S+) to/.exec(md)?.[1] ?? 'missing';
  t.match(html, new RegExp(`Run ${started.replace(/[.]/g, '\\.')}`), 'the same run as compat.md');
});

t.test('claims.md: every claim with a verdict and its evidence', async (t) => {
  const md = read('claims.md');
  const claims = [...md.matchAll(/^## "(.+)"\n\n\*\*(True|False|Partly true|Not measured)\.\*\*/gm)].map((m) => m[1]);
  t.same(claims, [
    'Go uses the cgo resolver by default on Linux',
    'CGO_ENABLED=0 bypasses the systemd-resolved stub on 127.0.0.53',
    'CGO_ENABLED set to an empty string disables cgo',
    'With the stub refusing in containers, netdns=go fixes resolution',
    'Timeouts in `go mod download` behind systemd-resolved are a cgo DNS problem, fixed by `export CGO_ENABLED=0`',
    'The systemd-resolved stub line `options edns0 trust-ad` is harmless to Go programs',
  ]);
  t.ok((md.match(/`go-dns-harness repro '/g) ?? []).length >= 12, 'cells with their repro commands');
  t.match(md, /\| go1\.\d+\.\d+ \| CGO_ENABLED=\d \| 0 \| 1 \| [\d.]+ s \| \d+ \|/, 'the go mod download runs');
});

t.test('resolved.md: the findings, then every resolved scenario with the real stub and both stand-ins, from a full run', async (t) => {
  const md = read('resolved.md');
  t.match(md, /^# The real systemd-resolved against the emulated stub\n/);
  t.match(md, /Run \d{4}-\d\d-\d\dT\S+ on Debian GNU\/Linux 12 \(bookworm\) \(glibc 2\.\d+\), systemd \d+ .*; Go 1\.19\.\d+, 1\.21\.\d+.*1\.27\.\d+; \d+ cells: (\d+) pass, 0 fail, \d+ slow, 0 skipped, 0 errors; scenario set [0-9a-f]{12} \(\d+ scenarios\)\./);
  t.match(md, /\| real systemd-resolved \| emulated stub \| passthrough stub \|/);
  const overview = [...md.matchAll(/^\| \[(resolved-[a-z-]+)\]\(#\1-stubs\) \| ([^|]*) \| ([^|]*) \|$/gm)].map((m) => [m[1], m[2]?.trim(), m[3]?.trim()]);
  t.ok(overview.length >= 10, `${overview.length} scenarios`);
  for (const [name, emulated] of overview) if (emulated) t.notMatch(emulated, /≠/, `${name}: the emulation matches the real stub`);
  t.match(md, /\| \[resolved-upstream-edns-formerr\]\(#resolved-upstream-edns-formerr-stubs\) \| 48\/48 \| 0\/48 ≠ \|/, 'the naive emulation is wrong there');
});

t.test('musl.md: what Alpine users should take from it, then the libc table from a full run', async (t) => {
  const md = read('musl.md');
  t.match(md, /^# Go's resolver, glibc and musl\n/);
  t.match(md, /## What to take from it, for Alpine images/);
  t.match(md, /Run \d{4}-\d\d-\d\dT\S+ on Debian GNU\/Linux 12 \(bookworm\) \(glibc 2\.\d+\).*; Go 1\.19\.\d+, .*1\.27\.\d+; \d+ cells: \d+ pass, 0 fail, \d+ slow, 0 skipped, 0 errors; scenario set [0-9a-f]{12} \(\d+ scenarios\)\./);
  t.match(md, /\| scenario \| Go's resolver \(CGO_ENABLED=0\) \| cgo \+ glibc \| cgo \+ musl-1\.2\.3 \| cgo \+ musl-1\.2\.5 \| cgo \+ musl-1\.2\.6 \|/);
  t.match(md, /^\| musl-truncated-tcp \| 🟢 ok [^|]+ \| 🟢 ok [^|]+ \| 🔴 notfound: no such host \| 🟢 ok [^|]+ \| 🟢 ok [^|]+ \|$/m, 'the TCP fallback row: what happened first');
  t.ok((md.match(/^\| [a-z0-9.-]+ \| [🟢🟡🔴]/gmu) ?? []).length >= 50, 'every scenario has a row');
  t.notMatch(md, / ✗ \|/, 'every cell met its expectation');
});
