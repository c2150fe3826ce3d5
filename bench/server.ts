/**
 * UDP throughput of the fake DNS server, measured with dnsperf against the same record served by
 * the fake server, dnsmasq and the npm package dns2, each in its own process on loopback.
 * Targets: at least 2x dns2 and at least 0.5x dnsmasq. BENCH_SECONDS sets the measuring time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 1;
const NAME = 'bench.example.test';
const ROOT = new URL('..', import.meta.url).pathname;

interface Target {
  name: string;
  start(port: number): ChildProcess;
}

const targets: Target[] = [
  {
    name: 'go-dns-harness',
    start: (port) =>
      spawn(...pinned(0, 'node', [join(ROOT, 'dist/cli.js'), 'serve', '--quiet', '--listen', `127.0.0.1:${port}/udp`, '--record', `${NAME}=A:192.0.2.1`]), { stdio: 'ignore' }),
  },
  {
    name: 'dnsmasq',
    start: (port) =>
      spawn(...pinned(0, 'dnsmasq', ['--keep-in-foreground', '--no-resolv', '--no-hosts', '--bind-interfaces', '--listen-address=127.0.0.1', `--port=${port}`, '--pid-file', `--address=/${NAME}/192.0.2.1`, '--user=root', '--conf-file=/dev/null']), { stdio: 'ignore' }),
  },
  {
    name: 'dns2',
    start: (port) =>
      spawn(...pinned(0, 'node', ['--input-type=module', '-e', `
        import dns2 from 'dns2';
        const { Packet } = dns2;
        dns2.createServer({ udp: true, handle: (req, send) => {
          const res = Packet.createResponseFromRequest(req);
          res.answers.push({ name: req.questions[0].name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 300, address: '192.0.2.1' });
          send(res);
        } }).listen({ udp: { port: ${port}, address: '127.0.0.1' } });`]), { stdio: 'ignore', cwd: ROOT }),
  },
];

function need(cmd: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) {
    console.error(`bench: ${cmd} not found; install the Debian package ${pkg} (apt-get install ${pkg})`);
    process.exit(2);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// On a small shared machine the scheduler's placement swings results by a factor of two; pinning
// the server and the load generator to different cores, when there are two, steadies them.
const PIN = spawnSync('sh', ['-c', 'command -v taskset']).status === 0 && (spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() !== '1');
const pinned = (core: number, cmd: string, args: string[]): [string, string[]] => (PIN ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

function dnsperf(port: number, seconds: number, file: string): { qps: number; lost: string } {
  const [cmd, args] = pinned(1, 'dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(seconds), '-c', '4', '-q', '256', '-t', '2']);
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const qps = Number(/Queries per second:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? NaN);
  const lost = /Queries lost:\s+(.+)/.exec(r.stdout)?.[1]?.trim() ?? '?';
  if (!Number.isFinite(qps)) throw new Error(`dnsperf gave no result:\n${r.stdout}\n${r.stderr}`);
  return { qps, lost };
}

async function main(): Promise<void> {
  need('dnsperf', 'dnsperf');
  need('dnsmasq', 'dnsmasq-base');
  const dir = mkdtempSync(join(tmpdir(), 'gdh-bench-'));
  const file = join(dir, 'queries.txt');
  writeFileSync(file, `${NAME} A\n`);
  const samples: Record<string, number[]> = {};
  console.log(`dnsperf: ${ROUNDS} interleaved rounds of ${SECONDS}s per server${PIN ? ', server on CPU 0, dnsperf on CPU 1' : ''}`);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of targets) {
        const port = await freePort();
        const child = target.start(port);
        try {
          await new Promise((r) => setTimeout(r, 800));
          if (child.exitCode !== null) throw new Error(`${target.name} exited with ${child.exitCode} before the run`);
          dnsperf(port, WARMUP_SECONDS, file);
          const { qps, lost } = dnsperf(port, SECONDS, file);
          (samples[target.name] ??= []).push(qps);
          console.log(`  round ${round} ${target.name.padEnd(16)} ${qps.toFixed(0).padStart(8)} queries/s  (lost: ${lost})`);
        } finally {
          child.kill('SIGTERM');
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const results: Record<string, number> = {};
  for (const [name, list] of Object.entries(samples)) {
    const sorted = [...list].sort((a, b) => a - b);
    results[name] = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    console.log(`median ${name.padEnd(16)} ${results[name]?.toFixed(0).padStart(8)} queries/s`);
  }
  const ours = results['go-dns-harness'] ?? NaN;
  const vsDns2 = ours / (results.dns2 ?? NaN);
  const vsDnsmasq = ours / (results.dnsmasq ?? NaN);
  console.log(`ratio vs dns2:    ${vsDns2.toFixed(2)}x (target >= 2)`);
  console.log(`ratio vs dnsmasq: ${vsDnsmasq.toFixed(2)}x (target >= 0.5)`);
  if (!(vsDns2 >= 2 && vsDnsmasq >= 0.5)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
