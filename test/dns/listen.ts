/** Listen addresses: parsing, IPv6, shared free ports, and the real 127.0.0.53:53 when allowed. */
import t from 'tap';
import { BindError, ConfigError, parseListen, startFakeDns } from '../../src/index.js';
import { dig, nodeResolve } from '../helpers/clients.js';
import { RECORDS } from '../helpers/server.js';

t.test('parsing', async (t) => {
  t.same(parseListen('127.0.0.53:53/udp'), { host: '127.0.0.53', port: 53, transport: 'udp', family: 4 });
  t.same(parseListen('[::1]:5353/tcp'), { host: '::1', port: 5353, transport: 'tcp', family: 6 });
  for (const [bad, why] of [
    ['127.0.0.53:53', /expected HOST:PORT\/udp/],
    ['127.0.0.53:53/sctp', /expected HOST:PORT\/udp/],
    ['10.0.0.1:53/udp', /only loopback/],
    ['[2001:db8::1]:53/udp', /only loopback/],
    ['127.0.0.1:70000/udp', /0\.\.65535/],
    ['[127.0.0.1]:53/udp', /brackets are for IPv6/],
    ['999.0.0.1:53/udp', /not an IP address/],
  ] as const) {
    t.throws(() => parseListen(bad), { name: 'ConfigError', message: why }, bad);
  }
});

t.test('UDP and TCP on IPv4 and IPv6, port 0 shared per host', async (t) => {
  const s = await startFakeDns({ listen: ['127.0.0.1:0/udp', '127.0.0.1:0/tcp', '[::1]:0/udp', '[::1]:0/tcp'], records: RECORDS });
  t.teardown(() => s.close());
  const [u4, t4, u6, t6] = s.addresses;
  t.equal(u4?.port, t4?.port, 'IPv4 UDP and TCP share a port');
  t.equal(u6?.port, t6?.port, 'IPv6 UDP and TCP share a port');
  const v6 = { host: '::1', port: u6?.port ?? 0 };
  t.equal((await dig(v6, 'app.example.test')).answers[0], 'app.example.test. A 192.0.2.10');
  t.equal((await dig(v6, 'app.example.test', { tcp: true })).answers[0], 'app.example.test. A 192.0.2.10');
  t.same((await nodeResolve(v6, 'app.example.test', { type: 'AAAA' })).answers, ['2001:db8::10']);
  t.same(s.queries().map((q) => [q.transport, q.server.address, q.client.address]), [
    ['udp', '::1', '::1'],
    ['tcp', '::1', '::1'],
    ['udp', '::1', '::1'],
  ]);
  t.equal(s.address('tcp', 6).port, u6?.port);
});

t.test('a port in use gives a BindError that says what to do', async (t) => {
  const a = await startFakeDns({ listen: ['127.0.0.1:0/udp'] });
  t.teardown(() => a.close());
  await t.rejects(startFakeDns({ listen: [`127.0.0.1:${a.address().port}/udp`] }), {
    name: 'BindError',
    code: 'GDH_BIND',
    message: /cannot listen on 127\.0\.0\.1:\d+\/udp: EADDRINUSE; another process listens there/,
  });
  t.ok(new BindError('x', Object.assign(new Error('e'), { code: 'EACCES' })).message.includes('ports below 1024 need root'));
});

t.test('the stub address itself: 127.0.0.53:53, or a free high port where that is not permitted', async (t) => {
  let s;
  try {
    s = await startFakeDns({ listen: ['127.0.0.53:53/udp', '127.0.0.53:53/tcp'], records: RECORDS });
    t.comment('bound 127.0.0.53:53');
  } catch (err) {
    t.type(err, BindError);
    t.comment(`127.0.0.53:53 not available here (${(err as Error).message}); using a free high port`);
    s = await startFakeDns({ listen: ['127.0.0.53:0/udp', '127.0.0.53:0/tcp'], records: RECORDS });
  }
  t.teardown(() => s.close());
  const target = { host: '127.0.0.53', port: s.address('udp').port };
  t.equal((await dig(target, 'www.example.test')).answers.at(-1), 'app.example.test. A 192.0.2.10');
});

t.test('bad options name the field and the value', async (t) => {
  const bad: Array<[unknown, RegExp]> = [
    [{ listen: [] }, /listen: \[\] is not valid; give at least one listen address/],
    [{ listen: ['127.0.0.1:0/udp'], records: { 'a.test': { A: '2001:db8::1' } } }, /records\["a\.test"\]\.A: "2001:db8::1" is not valid; expected an IPv4 address/],
    [{ listen: ['127.0.0.1:0/udp'], records: { 'a.test': { AAAA: ['2001:db8::1', 'nope'] } } }, /records\["a\.test"\]\.AAAA\[1\]: "nope" is not valid; expected an IPv6 address/],
    [{ listen: ['127.0.0.1:0/udp'], records: { 'a.test': { CNAME: 'b.test', A: '192.0.2.1' } } }, /a name with a CNAME can hold no other records/],
    [{ listen: ['127.0.0.1:0/udp'], records: { 'a.test': { HINFO: 'x' } } }, /records\["a\.test"\]/],
    [{ listen: ['127.0.0.1:0/udp'], records: { 'A.test': {}, 'a.test.': {} } }, /the same name as "A\.test"/],
    [{ listen: ['127.0.0.1:0/udp'], records: { 'a.test': { TXT: 'x'.repeat(256) } } }, /at most 255 bytes/],
    [{ listen: ['127.0.0.1:0/udp'], rules: [{ action: 'delay' }] }, /rules\[0\]\.ms: .*a delay rule needs ms/],
    [{ listen: ['127.0.0.1:0/udp'], rules: [{ action: 'refuse', match: { qtype: 'A A' } }] }, /rules\[0\]\.match\.qtype/],
    [{ listen: ['127.0.0.1:0/udp'], rules: [{ action: 'refuse', match: { nth: 0 } }] }, /rules\[0\]\.match\.nth: 0 is not valid/],
    [{ listen: ['127.0.0.1:0/udp'], rules: [{ action: 'extended-rcode', rcode: 'BADNESS' }] }, /rules\[0\]\.rcode: "BADNESS"/],
    [{ listen: ['127.0.0.1:0/udp'], ednsUdpSize: 100 }, /ednsUdpSize: 100 is not valid/],
    [{ listen: ['127.0.0.1:0/udp'], colour: 'blue' }, /^my\.yaml: colour: "colour" is not valid; an unknown key at the top level \(a typo\?\)$/],
  ];
  for (const [opts, msg] of bad) {
    await t.rejects(startFakeDns(opts as never, 'my.yaml'), { name: 'ConfigError', code: 'GDH_CONFIG', message: msg }, msg.source);
  }
  await t.rejects(startFakeDns({ listen: ['127.0.0.1:0/udp'] }, 'x').then(async (s) => {
    await s.close();
    throw new ConfigError('f', 1, 'sentinel');
  }), /sentinel/, 'a good config starts');
});
