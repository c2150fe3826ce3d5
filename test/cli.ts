/** The command line, run as a user would: the built dist/cli.js in a child process. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { dig } from './helpers/clients.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

t.test('serve answers, prints each query as a JSON line, and stops cleanly on SIGINT', async (t) => {
  const dir = t.testdir({});
  const config = `${dir}/server.json`;
  await writeFile(config, JSON.stringify({ listen: ['127.0.0.1:0/udp'], rules: [{ match: { qtype: 'AAAA' }, action: 'refuse' }] }));
  const child = execa('node', [CLI, 'serve', '--config', config, '--record', 'app.example.test=A:192.0.2.10', '--record', 'app.example.test=A:192.0.2.11'], { reject: false });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += String(d);
      const m = /serving on 127\.0\.0\.1:(\d+)\/udp/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    void child.then(() => reject(new Error(`exited early: ${stderr}`)));
  });
  const target = { host: '127.0.0.1', port };
  t.same((await dig(target, 'app.example.test')).answers, ['app.example.test. A 192.0.2.10', 'app.example.test. A 192.0.2.11']);
  t.equal((await dig(target, 'app.example.test', { type: 'AAAA' })).status, 'REFUSED');
  child.kill('SIGINT');
  const r = await child;
  t.equal(r.exitCode, 0);
  const lines = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l) as { qtype: string; action: string });
  t.same(lines.map((l) => [l.qtype, l.action]), [['A', 'answer'], ['AAAA', 'refuse']]);
});

t.test('bad input exits 2 with a message naming the field and value', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['serve', '--listen', '10.1.2.3:53/udp'], /listen\[0\]: "10\.1\.2\.3:53\/udp" is not valid; only loopback/],
    [['serve', '--listen', '127.0.0.1:0/udp', '--rule', '{"action":"explode"}'], /rules\[0\]\.action: "explode" is not valid; Invalid option: expected one of "answer"/],
    [['serve', '--listen', '127.0.0.1:0/udp', '--rule', '{nope'], /--rule: "\{nope" is not valid; expected JSON/],
    [['serve', '--listen', '127.0.0.1:0/udp', '--record', 'app.test'], /--record: "app\.test" is not valid; expected NAME=TYPE:VALUE/],
    [['serve', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [args, msg] of cases) {
    const r = await execa('node', [CLI, ...args], { reject: false, timeout: 10_000 });
    t.equal(r.exitCode, 2, `exit code for ${args.join(' ')}`);
    t.match(r.stderr, msg);
  }
  const help = await execa('node', [CLI, '--help']);
  t.match(help.stdout, /usage: go-dns-harness <command>/);
});

t.test('a Go this machine does not have, and a scenario with nothing to look up, are the user\'s to fix: exit 2', async (t) => {
  const dir = t.testdir({ 'empty.yaml': 'name: empty\nsummary: exec only\nlookups: []\n' });
  const noGo = await execa('node', [CLI, 'run', '--go', '1.99', '--scenario', 'stub-refused', '--no-fetch'], { reject: false, timeout: 60_000 });
  t.equal(noGo.exitCode, 2);
  t.match(noGo.stderr, /--go 1\.99: not a Go version that was found .*toolchains fetch 1\.99/);
  const repro = await execa('node', [CLI, 'repro', 'stub-refused:go1.99.1:cgo=0:netdns=go'], { reject: false, timeout: 60_000 });
  t.equal(repro.exitCode, 2);
  t.match(repro.stderr, /cell id "stub-refused:go1\.99\.1:cgo=0:netdns=go": go1\.99\.1: not a Go version that was found/);
  const empty = await execa('node', [CLI, 'list', '--json', '--scenarios-dir', dir], { reject: false, timeout: 60_000 });
  t.equal(empty.exitCode, 2);
  t.match(empty.stderr, /empty\.yaml: lookups: \[\] is not valid for run/);
  t.notMatch(`${noGo.stderr}${repro.stderr}${empty.stderr}`, /This is a bug/);
});

t.test('every command that reads a result names a missing or broken file and exits 2, not as a bug', async (t) => {
  const dir = t.testdir({ 'broken.json': '{"cells": [', 'other.json': '{"schemaVersion": 99, "cells": []}' });
  const missing = `${dir}/nope.json`;
  const commands: string[][] = [
    ['report', missing],
    ['report', missing, '--format', 'changes'],
    ['diff', missing, `${dir}/other.json`],
    ['flakes', missing, missing],
    ['merge', missing],
    ['suggest', missing],
    ['baseline', 'write', missing],
    ['baseline', 'check', missing],
  ];
  for (const args of commands) {
    const r = await execa('node', [CLI, ...args], { reject: false, timeout: 20_000 });
    t.equal(r.exitCode, 2, `exit code for ${args.join(' ')}`);
    t.match(r.stderr, /nope\.json: cannot read a result: no such file/, args.join(' '));
    t.notMatch(r.stderr, /This is a bug/, args.join(' '));
  }
  const broken = await execa('node', [CLI, 'report', `${dir}/broken.json`], { reject: false, timeout: 20_000 });
  t.equal(broken.exitCode, 2);
  t.match(broken.stderr, /broken\.json:1:12: not JSON \(close bracket expected\)/);
  const other = await execa('node', [CLI, 'suggest', `${dir}/other.json`], { reject: false, timeout: 20_000 });
  t.equal(other.exitCode, 2);
  t.match(other.stderr, /other\.json:1:19: schemaVersion 99 is not a go-dns-harness result/);
  const dirAsFile = await execa('node', [CLI, 'report', dir], { reject: false, timeout: 20_000 });
  t.equal(dirAsFile.exitCode, 2);
  t.match(dirAsFile.stderr, /is a directory \(give its results\.json\)/);
});
