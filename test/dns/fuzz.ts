/**
 * Fuzzing over real sockets: 100,000 random and mutated UDP packets and 1,000 TCP connections.
 * Afterwards the server must still answer correctly, have logged every packet, and have kept its
 * log (and so its memory) bounded. The suite fuzzes with one fixed seed, so it cannot fail by the
 * draw; FUZZ_SEED=N replays another, FUZZ_SEED=random draws one (printed, to replay what it finds).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import t from 'tap';
import { dig } from '../helpers/clients.js';
import { serve } from '../helpers/server.js';
import { framed, logged, query, sleep } from '../helpers/wire.js';

const UDP_PACKETS = 100_000;
const TCP_CONNECTIONS = 1_000;
const FIXED_SEED = 20_261_130;
const seed = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? FIXED_SEED);
if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED: "${process.env.FUZZ_SEED}" is not a number or "random"`);

/** mulberry32: small, seedable, good enough to vary packets. */
function prng(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(seed);
const int = (n: number) => Math.floor(rand() * n);
const names = ['app.example.test', 'www.example.test', 'x.y.z', 'a'.repeat(63) + '.test', '.'];
const templates = [
  query('app.example.test', 'A'),
  query('www.example.test', 'AAAA'),
  // With OPT, so EDNS parsing is fuzzed too.
  Buffer.concat([query('app.example.test').subarray(0, 10), Buffer.from([0, 1]), query('app.example.test').subarray(12), Buffer.from('0000291000000000000000', 'hex')]),
];

function mutant(): Buffer {
  const kind = int(6);
  if (kind === 0) return Buffer.from(Array.from({ length: int(600) }, () => int(256)));
  const base = Buffer.from(kind === 1 ? query(names[int(names.length)] as string, rand() < 0.5 ? 'A' : 'AAAA', int(65536)) : (templates[int(templates.length)] as Buffer));
  if (kind === 2) return base.subarray(0, int(base.length + 1)); // truncated anywhere
  if (kind === 3) {
    // Counts in the header set to nonsense.
    base.writeUInt16BE(int(65536), 4 + 2 * int(4));
    return base;
  }
  if (kind === 4) {
    // A compression pointer aimed at itself or back into the header.
    const at = 12 + int(Math.max(1, base.length - 13));
    base[at] = 0xc0;
    base[at + 1] = int(2) ? at : int(12);
    return base;
  }
  const flips = 1 + int(8);
  for (let i = 0; i < flips; i++) base[int(base.length)] = int(256);
  return base;
}

t.test(`fuzz (seed ${seed})`, async (t) => {
  t.comment(`replay with FUZZ_SEED=${seed}`);
  const s = await serve(t, { logLimit: 20_000 });
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (set in .taprc) so retained memory can be measured');
  gc();
  const heapBefore = process.memoryUsage().heapUsed;

  const udp = dgram.createSocket('udp4');
  udp.on('message', () => {});
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  let sent = 0;
  while (sent < UDP_PACKETS) {
    const batch = Math.min(500, UDP_PACKETS - sent);
    await Promise.all(Array.from({ length: batch }, () => new Promise<void>((r) => udp.send(mutant(), s.target.port, '127.0.0.1', () => r()))));
    sent += batch;
    // Let the server drain its socket so the kernel does not drop what we want it to read.
    await logged(s, sent, 30_000);
  }
  udp.close();
  t.equal(s.log.count, UDP_PACKETS, 'every UDP packet reached the server and was logged');

  let opened = 0;
  const worker = async (): Promise<void> => {
    while (opened < TCP_CONNECTIONS) {
      opened++;
      const sock = net.connect({ host: '127.0.0.1', port: s.target.port });
      sock.on('error', () => {});
      sock.on('data', () => {});
      await new Promise<void>((r) => sock.once('connect', () => r()).once('error', () => r()));
      const chunks = 1 + int(4);
      for (let i = 0; i < chunks; i++) {
        const m = mutant();
        const framedOrRaw = rand() < 0.7 ? framed(m) : m;
        const cut = rand() < 0.2 ? framedOrRaw.subarray(0, int(framedOrRaw.length + 1)) : framedOrRaw;
        sock.write(cut);
      }
      await sleep(int(3));
      sock.destroy();
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));

  const malformed = s.queries().filter((q) => q.malformed).length;
  t.ok(malformed > 0, `malformed packets were logged as such (${malformed} among the kept records)`);
  t.ok(s.log.size <= 20_000, `the log kept ${s.log.size} records, within its limit`);
  t.equal(s.log.dropped + s.log.size, s.log.count, 'what was let go is counted');

  const r = await dig(s.target, 'www.example.test');
  t.same([r.status, r.answers.at(-1)], ['NOERROR', 'app.example.test. A 192.0.2.10'], 'still answers right over UDP');
  const tcp = await dig(s.target, 'app.example.test', { tcp: true, type: 'AAAA' });
  t.same(tcp.answers, ['app.example.test. AAAA 2001:db8::10'], 'and over TCP');
  gc();
  const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  // 20,000 kept records of a few hundred bytes each is under 20 MiB; an unbounded log of
  // 100,000+ records would be several times that.
  t.ok(grownMb < 40, `retained heap grew by ${grownMb.toFixed(1)} MiB`);
});
