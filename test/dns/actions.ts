/**
 * Every fault action, seen by three independent real clients: BIND's dig, Knot's kdig and Node's
 * c-ares resolver. The expectations are what each client is documented to do with such a reply.
 */
import t from 'tap';
import type { RuleInput } from '../../src/index.js';
import { ANSWER_SEC, WAIT_OUT_SEC, dig, kdig, nodeResolve, type ClientResult } from '../helpers/clients.js';
import { serve } from '../helpers/server.js';

interface Case {
  rule?: RuleInput;
  name?: string;
  dig: Partial<ClientResult> & { warn?: RegExp };
  kdig: Partial<ClientResult> & { warn?: RegExp };
  node: Partial<ClientResult>;
  /** What the server must have logged for the first query. */
  log: (r: import('../../src/index.js').QueryRecord) => void;
}

const APP = ['app.example.test. A 192.0.2.10'];
const NODE_APP = ['192.0.2.10'];

const cases: Record<string, Case> = {
  answer: {
    dig: { status: 'NOERROR', answers: APP, ednsUdp: 65494 },
    kdig: { status: 'NOERROR', answers: APP },
    node: { status: 'NOERROR', answers: NODE_APP },
    log: (r) => t.equal(r.response?.rcode, 'NOERROR'),
  },
  refuse: {
    rule: { action: 'refuse' },
    dig: { status: 'REFUSED', answers: [] },
    kdig: { status: 'REFUSED' },
    node: { status: 'EREFUSED' },
    log: (r) => t.equal(r.response?.rcode, 'REFUSED'),
  },
  servfail: {
    rule: { action: 'servfail' },
    dig: { status: 'SERVFAIL' },
    kdig: { status: 'SERVFAIL' },
    node: { status: 'ESERVFAIL' },
    log: (r) => t.equal(r.response?.rcode, 'SERVFAIL'),
  },
  nxdomain: {
    rule: { action: 'nxdomain' },
    dig: { status: 'NXDOMAIN', answers: [], authority: ['example.test. SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 30'] },
    kdig: { status: 'NXDOMAIN' },
    node: { status: 'ENOTFOUND' },
    log: (r) => t.same([r.response?.rcode, r.response?.authorities], ['NXDOMAIN', 1]),
  },
  nodata: {
    rule: { action: 'nodata' },
    dig: { status: 'NOERROR', answers: [], authority: ['example.test. SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 30'] },
    kdig: { status: 'NOERROR', answers: [] },
    node: { status: 'ENODATA' },
    log: (r) => t.same([r.response?.rcode, r.response?.answers], ['NOERROR', 0]),
  },
  formerr: {
    rule: { action: 'formerr' },
    dig: { status: 'FORMERR', warn: /EDNS query returned status FORMERR/ },
    kdig: { status: 'FORMERR' },
    node: { status: 'EFORMERR' },
    log: (r) => t.same([r.response?.rcode, r.response?.opt], ['FORMERR', 'none']),
  },
  notimp: {
    rule: { action: 'notimp' },
    dig: { status: 'NOTIMP' },
    kdig: { status: 'NOTIMP' },
    node: { status: 'ENOTIMP' },
    log: (r) => t.equal(r.response?.rcode, 'NOTIMP'),
  },
  drop: {
    rule: { action: 'drop' },
    dig: { status: 'TIMEOUT', warn: /timed out/ },
    kdig: { status: 'TIMEOUT', warn: /response timeout/ },
    node: { status: 'ETIMEOUT' },
    log: (r) => t.equal(r.response, null),
  },
  'truncate (UDP only: clients retry over TCP and get the answer)': {
    rule: { action: 'truncate' },
    dig: { status: 'NOERROR', answers: APP, warn: /Truncated, retrying in TCP mode/ },
    kdig: { status: 'NOERROR', answers: APP, warn: /truncated reply .*retrying over TCP/ },
    node: { status: 'NOERROR', answers: NODE_APP },
    log: (r) => t.same([r.transport, r.response?.flags.tc, r.response?.answers], ['udp', true, 0]),
  },
  'truncate on both transports': {
    rule: { action: 'truncate', on: 'both' },
    dig: { status: 'NOERROR', answers: [], flags: ['qr', 'tc', 'rd', 'ra'] },
    kdig: { status: 'NOERROR', answers: [] },
    node: { status: 'ENODATA' },
    log: (r) => t.equal(r.response?.flags.tc, true),
  },
  'tcp-close (applies to TCP only; UDP is answered)': {
    rule: { action: 'tcp-close' },
    dig: { status: 'NOERROR', answers: APP },
    kdig: { status: 'NOERROR', answers: APP },
    node: { status: 'NOERROR', answers: NODE_APP },
    log: (r) => t.same([r.action, r.rule], ['answer', -1]),
  },
  'wrong-id': {
    rule: { action: 'wrong-id' },
    dig: { status: 'TIMEOUT', warn: /ID mismatch/ },
    kdig: { status: 'TIMEOUT', warn: /reply ID \(\d+\) is different from query ID/ },
    node: { status: 'ETIMEOUT' },
    log: (r) => t.equal(r.response?.id, ((r.id ?? 0) + 1) & 0xffff),
  },
  'wrong-question': {
    rule: { action: 'wrong-question' },
    dig: { status: 'TIMEOUT', warn: /Question section mismatch: got spoofed.invalid\/A\/IN/ },
    kdig: { status: 'NOERROR', answers: ['spoofed.invalid. A 192.0.2.10'], warn: /question sections are different/ },
    node: { status: 'ETIMEOUT' },
    log: (r) => t.equal(r.action, 'wrong-question'),
  },
  'no-question': {
    rule: { action: 'no-question' },
    dig: { status: 'NOERROR', answers: APP },
    kdig: { status: 'NOERROR', warn: /doesn't have question section/ },
    node: { status: 'EBADRESP' },
    log: (r) => t.equal(r.response?.questions, 0),
  },
  'opt-in-answer': {
    rule: { action: 'opt-in-answer' },
    dig: { status: 'NOERROR', warn: /malformed message packet/ },
    kdig: { warn: /malformed reply packet/ },
    node: { status: 'NOERROR', answers: NODE_APP },
    log: (r) => t.same([r.response?.opt, r.response?.answers, r.response?.additionals], ['answer', 2, 0]),
  },
  'extended-rcode BADVERS': {
    rule: { action: 'extended-rcode', rcode: 'BADVERS' },
    dig: { status: 'BADVERS' },
    kdig: { answers: [] },
    node: { status: 'ENODATA' },
    log: (r) => t.equal(r.response?.rcode, 'BADVERS'),
  },
  'clear-ra (a modifier: the answer still comes)': {
    rule: { action: 'clear-ra' },
    dig: { status: 'NOERROR', answers: APP, flags: ['qr', 'rd'], warn: /recursion requested but not available/ },
    kdig: { status: 'NOERROR', flags: ['qr', 'rd'] },
    node: { status: 'NOERROR', answers: NODE_APP },
    log: (r) => t.same([r.response?.flags.ra, r.response?.rcode], [false, 'NOERROR']),
  },
  garbage: {
    rule: { action: 'garbage', bytes: 48 },
    dig: { status: 'TIMEOUT' },
    kdig: {},
    node: { status: 'EBADRESP' },
    log: (r) => t.same([r.response, r.garbageBytes], [null, 48]),
  },
};

for (const [title, c] of Object.entries(cases)) {
  t.test(title, async (t) => {
    const server = await serve(t, c.rule ? { rules: [c.rule] } : {});
    const name = c.name ?? 'app.example.test';
    // A client expected to get a reply waits long; one expected to time out (or held only to a
    // warning about what it got) waits one second.
    const wait = (client: 'dig' | 'kdig' | 'node') => {
      const status = c[client].status;
      return { timeoutSec: status && !/TIMEOUT/.test(status) ? ANSWER_SEC : WAIT_OUT_SEC };
    };
    const results = {
      dig: await dig(server.target, name, wait('dig')),
      kdig: await kdig(server.target, name, wait('kdig')),
      node: await nodeResolve(server.target, name, wait('node')),
    };
    for (const client of ['dig', 'kdig', 'node'] as const) {
      const want = c[client] as Partial<ClientResult> & { warn?: RegExp };
      const got = results[client];
      const { warn, ...fields } = want;
      for (const [k, v] of Object.entries(fields)) t.same(got[k as keyof ClientResult], v, `${client} ${k}`, { raw: got.raw });
      if (warn) t.match(got.raw, warn, `${client} says why`);
    }
    const first = server.queries()[0];
    t.ok(first, 'the server logged the query');
    if (first) {
      t.equal(first.qname, name);
      c.log(first);
    }
  });
}
