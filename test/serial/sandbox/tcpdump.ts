/** pcap files of a cell's DNS traffic: tcpdump inside the sandbox, or written from the servers' capture. */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { RunResult } from '../../../src/results/model.js';
import { oldestAndNewest } from '../../helpers/go.js';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const cli = (args: string[], env: Record<string, string> = {}) => execa('node', [CLI, ...args], { reject: false, timeout: 300_000, env: { NO_COLOR: '1', ...env } });
const read = async (file: string) => (await execa('tcpdump', ['-r', file, '-nn', '-vv'], { reject: false })).stdout;

t.test('repro --pcap: tcpdump on the sandbox loopback, or from the log; both decode, UDP and TCP', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const id = `truncated-tcp-ok:${tcs[1]!.version}:cgo=1:netdns=cgo`;
  const dir = t.testdir({});
  for (const [from, env] of [['tcpdump', {}], ['log', { GDH_PCAP_FROM: 'log' }]] as const) {
    const file = join(dir, from, 'cell.pcap');
    const r = await cli(['repro', id, '--pcap', file], env);
    t.equal(r.exitCode, 0, r.stderr);
    t.match(r.stdout, new RegExp(`--- pcap: ${file.replace(/[.]/g, '\\.')} \\(${from === 'tcpdump' ? 'tcpdump' : 'log \\(tcpdump: not used'}`), `made by ${from}`);
    const text = await read(file);
    t.match(text, /127\.0\.0\.1\.\d+ > 127\.0\.0\.53\.53: .*\d+\+ \[1au\] A\? app\.example\.test\./, `${from}: the UDP query`);
    t.match(text, /127\.0\.0\.53\.53 > 127\.0\.0\.1\.\d+: .*\d+\| .*q: A\? app\.example\.test\./, `${from}: the truncated UDP answer (|)`);
    t.match(text, /127\.0\.0\.53\.53 > 127\.0\.0\.1\.\d+: Flags \[P\.\].* A 192\.0\.2\.10/, `${from}: the answer over TCP`);
  }
});

t.test('without tcpdump the file is written from the log, and says why', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const file = join(t.testdir({}), 'x.pcap');
  const r = await cli(['repro', `stub-refused:${tcs[1]!.version}:cgo=0:netdns=go`, '--pcap', file], { GDH_TCPDUMP: '/nonexistent/tcpdump' });
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /\(log \(tcpdump: not installed\)\)/);
  t.match(await read(file), /Refused/);
});

t.test('run --pcap-dir: one pcap per cell, named by its id and recorded in the results', async (t) => {
  const tcs = await oldestAndNewest(t);
  if (!tcs) return;
  const dir = t.testdir({});
  const r = await cli(['run', '--scenario', 'stub-refused', '--go', tcs[1]!.version, '--cgo', '0', '--out', join(dir, 'out'), '--pcap-dir', join(dir, 'pcap')]);
  t.equal(r.exitCode, 0, r.stderr);
  const doc = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as RunResult;
  t.equal(readdirSync(join(dir, 'pcap')).length, doc.cells.length);
  for (const c of doc.cells) {
    t.ok(c.pcap && existsSync(c.pcap.file), `${c.id}: ${c.pcap?.file}`);
    t.match(c.pcap?.file, new RegExp(`${c.id.replace(/:/g, '_').replace(/\./g, '\\.')}\\.pcap$`));
    t.match(await read(c.pcap!.file), /127\.0\.0\.53\.53 > 127\.0\.0\.1\.\d+: .* Refused/, 'the REFUSED answer is in the file');
  }
});
