/** EDNS handling and size limits: OPT echo, advertised size, TC and trimming. */
import t from 'tap';
import { dig, kdig } from '../helpers/clients.js';
import { serve } from '../helpers/server.js';

const msgSize = (raw: string): number => Number([...raw.matchAll(/MSG SIZE\s+rcvd: (\d+)/g)].at(-1)?.[1] ?? NaN);

t.test('a query with OPT gets OPT back; one without gets none', async (t) => {
  const s = await serve(t);
  const withOpt = await dig(s.target, 'app.example.test');
  t.equal(withOpt.ednsUdp, 65494, "systemd-resolved's stub size by default");
  const without = await kdig(s.target, 'app.example.test');
  t.notOk(without.raw.includes('"OPT"') || without.ednsUdp, 'no OPT without EDNS in the query');
  const [q1, q2] = s.queries();
  t.match(q1?.edns, { udpSize: 1232, version: 0, do: false }, 'dig 9.18 advertises 1232');
  t.equal(q2?.edns, null);
  t.equal(q1?.response?.opt, 'additional');
  t.equal(q2?.response?.opt, 'none');
});

t.test('the advertised size and the DO bit', async (t) => {
  const s = await serve(t, { ednsUdpSize: 1232 });
  const r = await dig(s.target, 'app.example.test', { extra: ['+dnssec'] });
  t.equal(r.ednsUdp, 1232);
  t.match(r.raw, /; EDNS: version: 0, flags: do;/, 'DO is echoed');
  t.equal(s.queries()[0]?.edns?.do, true);
});

t.test('answers larger than the client takes are trimmed with TC', async (t) => {
  const s = await serve(t, { rules: [{ match: { qname: 'big.example.test' }, action: 'oversize', records: 100 }] });
  const plain = await dig(s.target, 'big.example.test', { edns: false, ignoreTc: true });
  t.ok(plain.flags.includes('tc'), 'TC without EDNS');
  t.ok(msgSize(plain.raw) <= 512, `at most 512 bytes without EDNS (${msgSize(plain.raw)})`);
  t.ok(plain.answers.length > 0 && plain.answers.length < 100, 'cut at record boundaries, keeping what fits');
  const e1232 = await dig(s.target, 'big.example.test', { bufsize: 1232, ignoreTc: true });
  t.ok(e1232.flags.includes('tc'));
  t.ok(msgSize(e1232.raw) <= 1232 && msgSize(e1232.raw) > 512, `between 512 and 1232 bytes with EDNS 1232 (${msgSize(e1232.raw)})`);
  const small = await dig(s.target, 'big.example.test', { bufsize: 100, ignoreTc: true });
  t.ok(msgSize(small.raw) <= 512 && msgSize(small.raw) > 400, 'an advertised size below 512 counts as 512');
  const tcp = await dig(s.target, 'big.example.test', { tcp: true });
  t.same([tcp.flags.includes('tc'), tcp.answers.length], [false, 100], 'TCP carries all of it');
  const retried = await dig(s.target, 'big.example.test', { edns: false });
  t.equal(retried.answers.length, 100, 'dig retries over TCP on TC and gets everything');
  const udpTc = s.queries().filter((q) => q.transport === 'udp').map((q) => q.response?.flags.tc);
  t.same(udpTc, [true, true, true, true]);
});

t.test('oversize with overflow: send ignores the client limit', async (t) => {
  const s = await serve(t, { rules: [{ action: 'oversize', records: 200, overflow: 'send' }] });
  const r = await dig(s.target, 'big.example.test', { edns: false, ignoreTc: true });
  t.notOk(r.flags.includes('tc'));
  t.equal(r.answers.length, 200);
  t.ok(msgSize(r.raw) > 1232, `a ${msgSize(r.raw)}-byte UDP answer to a client that can take 512`);
  const aaaa = await dig(s.target, 'big.example.test', { type: 'AAAA', tcp: true });
  t.equal(aaaa.answers[0], 'big.example.test. AAAA 2001:db8::1', 'AAAA queries get AAAA records');
});
