/** Records and answer synthesis, checked through dig against a live server. */
import t from 'tap';
import { dig, kdig } from '../helpers/clients.js';
import { serve } from '../helpers/server.js';

const records = {
  'example.test': { SOA: { mname: 'ns.example.test', rname: 'hostmaster.example.test', minimum: 30 }, NS: ['ns1.example.test', 'ns2.example.test'] },
  'app.example.test': { A: ['192.0.2.10', '192.0.2.11'], AAAA: '2001:db8::10', ttl: 42 },
  'www.example.test': { CNAME: 'alias.example.test' },
  'alias.example.test': { CNAME: 'app.example.test' },
  'dangling.example.test': { CNAME: 'missing.example.test' },
  'loop1.example.test': { CNAME: 'loop2.example.test' },
  'loop2.example.test': { CNAME: 'loop1.example.test' },
  '*.apps.example.test': { A: '192.0.2.20' },
  'exact.apps.example.test': { A: '192.0.2.21' },
  'deep.ent.example.test': { A: '192.0.2.30' },
  'mail.example.test': { MX: [{ preference: 10, exchange: 'mx1.example.test' }, { preference: 20, exchange: 'mx2.example.test' }] },
  '_sip._tcp.example.test': { SRV: { priority: 1, weight: 5, port: 5060, target: 'sip.example.test' } },
  'txt.example.test': { TXT: ['v=spf1 -all', ['part one', 'part two']] },
  '192.0.2.10': { PTR: 'app.example.test' },
  '2001:db8::10': { PTR: 'app.example.test' },
};

t.test('names match case-insensitively and the answer keeps the question case', async (t) => {
  const s = await serve(t, { records });
  const r = await dig(s.target, 'ApP.ExAmPlE.tEsT');
  t.same(r.answers, ['ApP.ExAmPlE.tEsT. A 192.0.2.10', 'ApP.ExAmPlE.tEsT. A 192.0.2.11']);
  t.match(r.raw, /ApP\.ExAmPlE\.tEsT\.\s+42\s+IN\s+A/, 'per-name TTL');
  t.equal(s.queries()[0]?.qname, 'ApP.ExAmPlE.tEsT', 'the log keeps the case as sent');
});

t.test('CNAME chains are followed inside the zone', async (t) => {
  const s = await serve(t, { records });
  t.same((await dig(s.target, 'www.example.test', { type: 'AAAA' })).answers, [
    'www.example.test. CNAME alias.example.test.',
    'alias.example.test. CNAME app.example.test.',
    'app.example.test. AAAA 2001:db8::10',
  ]);
  t.same((await dig(s.target, 'www.example.test', { type: 'CNAME' })).answers, ['www.example.test. CNAME alias.example.test.'], 'a CNAME query is not followed');
  const dangling = await dig(s.target, 'dangling.example.test');
  t.equal(dangling.status, 'NXDOMAIN', 'a CNAME to a missing name ends in NXDOMAIN');
  t.same(dangling.answers, ['dangling.example.test. CNAME missing.example.test.']);
  const loop = await dig(s.target, 'loop1.example.test');
  t.equal(loop.status, 'NOERROR', 'a CNAME loop is answered, not spun on');
  t.equal(loop.answers.length, 2);
});

t.test('wildcards apply at the closest encloser only', async (t) => {
  const s = await serve(t, { records });
  t.same((await dig(s.target, 'x.apps.example.test')).answers, ['x.apps.example.test. A 192.0.2.20']);
  t.same((await dig(s.target, 'a.b.apps.example.test')).answers, ['a.b.apps.example.test. A 192.0.2.20']);
  t.same((await dig(s.target, 'exact.apps.example.test')).answers, ['exact.apps.example.test. A 192.0.2.21']);
  t.equal((await dig(s.target, 'x.exact.apps.example.test')).status, 'NXDOMAIN', 'below an existing name the wildcard does not reach');
  const nodata = await dig(s.target, 'x.apps.example.test', { type: 'AAAA' });
  t.same([nodata.status, nodata.answers], ['NOERROR', []], 'a wildcard name without the type is NODATA');
});

t.test('NXDOMAIN, NODATA and empty non-terminals carry the SOA', async (t) => {
  const s = await serve(t, { records });
  const soa = ['example.test. SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 30'];
  const nx = await dig(s.target, 'nope.example.test');
  t.same([nx.status, nx.authority], ['NXDOMAIN', soa]);
  const nodata = await dig(s.target, 'app.example.test', { type: 'MX' });
  t.same([nodata.status, nodata.answers, nodata.authority], ['NOERROR', [], soa]);
  const ent = await dig(s.target, 'ent.example.test');
  t.same([ent.status, ent.authority], ['NOERROR', soa], 'a name with only children exists');
  const outside = await dig(s.target, 'other.invalid');
  t.same([outside.status, outside.authority], ['NXDOMAIN', []], 'no SOA configured above: no authority');
});

t.test('MX, SRV, TXT, NS, SOA and PTR (IPv4 and IPv6)', async (t) => {
  const s = await serve(t, { records });
  t.same((await dig(s.target, 'mail.example.test', { type: 'MX' })).answers, [
    'mail.example.test. MX 10 mx1.example.test.',
    'mail.example.test. MX 20 mx2.example.test.',
  ]);
  t.same((await dig(s.target, '_sip._tcp.example.test', { type: 'SRV' })).answers, ['_sip._tcp.example.test. SRV 1 5 5060 sip.example.test.']);
  t.same((await dig(s.target, 'txt.example.test', { type: 'TXT' })).answers, [
    'txt.example.test. TXT "v=spf1 -all"',
    'txt.example.test. TXT "part one" "part two"',
  ]);
  t.same((await dig(s.target, 'example.test', { type: 'NS' })).answers, ['example.test. NS ns1.example.test.', 'example.test. NS ns2.example.test.']);
  t.same((await dig(s.target, 'example.test', { type: 'SOA' })).answers, ['example.test. SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 30']);
  t.same((await dig(s.target, '10.2.0.192.in-addr.arpa', { type: 'PTR' })).answers, ['10.2.0.192.in-addr.arpa. PTR app.example.test.']);
  const v6 = await kdig(s.target, '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', { type: 'PTR' });
  t.same(v6.answers, ['0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR app.example.test.']);
});
