/**
 * Real DNS clients pointed at a fake server: BIND's dig, Knot's kdig and Node's c-ares resolver.
 * Each returns the same small shape so a test can hold all three to one expectation.
 */
import { Resolver } from 'node:dns/promises';
import { execa } from 'execa';

export interface ClientResult {
  client: 'dig' | 'kdig' | 'node';
  /** NOERROR, NXDOMAIN, REFUSED, ... or TIMEOUT when no usable reply came, or an error code (node). */
  status: string;
  flags: string[];
  answers: string[];
  authority: string[];
  /** The UDP size in the reply's OPT, when there was one. */
  ednsUdp?: number;
  raw: string;
}

export interface Target {
  host: string;
  port: number;
}

export interface QueryOptions {
  type?: string;
  tcp?: boolean;
  /** Send EDNS (dig's default) or not. */
  edns?: boolean;
  bufsize?: number;
  /** Do not retry over TCP when TC is set. */
  ignoreTc?: boolean;
  /**
   * How long the client waits for a reply. The default is long, so an answer that is merely late on
   * a loaded machine still counts; a test that expects a timeout passes a short one (WAIT_OUT_SEC).
   */
  timeoutSec?: number;
  extra?: string[];
}

/** The default wait for a reply that should come. */
export const ANSWER_SEC = 10;
/** For tests that expect no usable reply: how long to wait it out. */
export const WAIT_OUT_SEC = 1;

export async function dig(t: Target, name: string, o: QueryOptions = {}): Promise<ClientResult> {
  const args = [`@${t.host}`, '-p', String(t.port), name, o.type ?? 'A', `+time=${o.timeoutSec ?? ANSWER_SEC}`, '+tries=1', '+nocookie'];
  if (o.tcp) args.push('+tcp');
  if (o.edns === false) args.push('+noedns');
  if (o.bufsize) args.push(`+bufsize=${o.bufsize}`);
  if (o.ignoreTc) args.push('+ignore');
  args.push(...(o.extra ?? []));
  const r = await execa('dig', args, { reject: false, timeout: 20_000 });
  const out = r.stdout + '\n' + r.stderr;
  // The last reply dig printed wins (after a TC retry over TCP there are two).
  const headers = [...out.matchAll(/status: ([A-Z0-9_]+)/g)];
  const flagLines = [...out.matchAll(/;; flags:([a-z ]*);/g)];
  const last = headers.at(-1);
  return {
    client: 'dig',
    status: r.exitCode === 9 || !last ? 'TIMEOUT' : (last[1] as string),
    flags: (flagLines.at(-1)?.[1] ?? '').trim().split(/\s+/).filter(Boolean),
    answers: section(out, 'ANSWER'),
    authority: section(out, 'AUTHORITY'),
    ...ednsOf(out),
    raw: out,
  };
}

function ednsOf(out: string): { ednsUdp?: number } {
  const m = [...out.matchAll(/; EDNS: version: \d+, flags:[^;]*; udp: (\d+)/g)].at(-1);
  return m ? { ednsUdp: Number(m[1]) } : {};
}

function section(out: string, name: string): string[] {
  const blocks = out.split(`;; ${name} SECTION:\n`);
  const block = blocks.at(-1);
  if (blocks.length < 2 || block === undefined) return [];
  const lines: string[] = [];
  for (const line of block.split('\n')) {
    if (line.trim() === '' || line.startsWith(';')) break;
    const cols = line.split(/\s+/);
    lines.push(`${cols[0]} ${cols[3]} ${cols.slice(4).join(' ')}`);
  }
  return lines;
}

interface KdigJson {
  RCODE?: number;
  QR?: number;
  AA?: number;
  TC?: number;
  RD?: number;
  RA?: number;
  AD?: number;
  CD?: number;
  answerRRs?: Array<Record<string, unknown>>;
  authorityRRs?: Array<Record<string, unknown>>;
  additionalRRs?: Array<Record<string, unknown>>;
  OPT?: unknown;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export async function kdig(t: Target, name: string, o: QueryOptions = {}): Promise<ClientResult> {
  const args = [`@${t.host}@${t.port}`, name, o.type ?? 'A', `+timeout=${o.timeoutSec ?? ANSWER_SEC}`, '+retry=0', '+json'];
  if (o.tcp) args.push('+tcp');
  if (o.edns) args.push('+edns');
  if (o.bufsize) args.push(`+bufsize=${o.bufsize}`);
  if (o.ignoreTc) args.push('+ignore');
  args.push(...(o.extra ?? []));
  const r = await execa('kdig', args, { reject: false, timeout: 20_000 });
  let j: KdigJson = {};
  try {
    j = JSON.parse(r.stdout || '{}') as KdigJson;
  } catch {
    // kdig prints several JSON documents after a TC retry; take the last one.
    const docs = r.stdout.split(/\n(?=\{)/);
    j = JSON.parse(docs.at(-1) ?? '{}') as KdigJson;
  }
  const rr = (list?: Array<Record<string, unknown>>) =>
    (list ?? []).map((x) => {
      const dataKey = Object.keys(x).find((k) => k.startsWith('rdata'));
      return `${String(x.NAME)} ${String(x.TYPEname)} ${dataKey ? String(x[dataKey]) : String(x.RDATAHEX)}`;
    });
  const flags = (['QR', 'AA', 'TC', 'RD', 'RA', 'AD', 'CD'] as const).filter((f) => j[f] === 1).map((f) => f.toLowerCase());
  const udp = (j.additionalRRs ?? []).find((x) => x.TYPEname === 'OPT')?.CLASS;
  return {
    client: 'kdig',
    status: j.RCODE === undefined ? 'TIMEOUT' : (RCODES[j.RCODE] ?? `RCODE_${j.RCODE}`),
    flags,
    answers: rr(j.answerRRs),
    authority: rr(j.authorityRRs),
    ...(typeof udp === 'number' ? { ednsUdp: udp } : {}),
    raw: r.stdout + '\n' + r.stderr,
  };
}

/** Node's resolver (c-ares). Only statuses and answers are visible through its API. */
export async function nodeResolve(t: Target, name: string, o: QueryOptions = {}): Promise<ClientResult> {
  const res = new Resolver({ timeout: (o.timeoutSec ?? ANSWER_SEC) * 1000, tries: 1 });
  res.setServers([t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`]);
  const type = o.type ?? 'A';
  try {
    const answers = (await res.resolve(name, type)) as unknown[];
    return { client: 'node', status: 'NOERROR', flags: [], answers: answers.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))), authority: [], raw: '' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
    return { client: 'node', status: code, flags: [], answers: [], authority: [], raw: String(err) };
  }
}
