import t from 'tap';
import { DEFAULT_AXES, batchCells, cellId, estimateMs, parseCellId, planCells, statedFloorMs, worstWaitMs } from '../../src/plan/cells.js';
import { scenario, toolchain } from '../helpers/fixtures.js';

const fast = scenario({ name: 'fast' });
const slow = scenario({
  name: 'slow',
  files: { 'resolv.conf': 'nameserver 127.0.0.53\noptions timeout:2 attempts:1\n' },
  servers: [{ listen: ['127.0.0.53:53/udp'], rules: [{ action: 'drop' }] }],
  lookups: ['host a.test', 'ip4 a.test'],
});
const tcs = [toolchain(19), toolchain(27)];

t.test('the default axes: scenarios x toolchains x cgo {0,1} x netdns {default,go,cgo}', async (t) => {
  const cells = planCells([fast, slow], tcs);
  t.equal(cells.length, 2 * 2 * 2 * 3);
  t.same(cells.map((c) => c.id), [...cells.map((c) => c.id)].sort(), 'sorted by id');
  t.equal(new Set(cells.map((c) => c.id)).size, cells.length, 'ids are unique');
  t.equal(cells[0]?.id, 'fast:go1.19.1:cgo=0:netdns=cgo');
});

t.test('extra axes and ids that round-trip', async (t) => {
  const cells = planCells([fast], [tcs[1]!], { cgo: ['1'], netdns: ['go'], godebug: ['none', 'netedns0=0'], tags: ['none', 'netgo'], goModGo: ['1.18', '1.19'] });
  t.equal(cells.length, 8);
  for (const c of cells) {
    const back = parseCellId(c.id);
    t.same(back, c.axes, `${c.id} round-trips`);
    t.equal(cellId(back), c.id);
  }
  t.ok(cells.some((c) => c.id === 'fast:go1.27.1:cgo=1:netdns=go:godebug=netedns0=0:tags=netgo:gomod=1.18'));
  t.throws(() => parseCellId('fast'), { message: /is not a cell id/ });
  t.throws(() => parseCellId('fast:go1.27.1:cgo=2:netdns=go'), { message: /cgo=0\|1/ });
});

t.test('shards are disjoint, cover the plan, and depend only on it', async (t) => {
  const all = planCells([fast, slow], tcs).map((c) => c.id);
  const shards = [1, 2, 3].map((i) => planCells([slow, fast], [...tcs].reverse(), undefined, { index: i, count: 3 }).map((c) => c.id));
  t.same(shards.flat().sort(), all, 'together exactly the plan');
  t.equal(new Set(shards.flat()).size, all.length, 'no cell twice');
  t.same(shards[0], planCells([fast, slow], tcs, undefined, { index: 1, count: 3 }).map((c) => c.id), 'input order does not matter');
  t.throws(() => planCells([fast], tcs, undefined, { index: 4, count: 3 }), { message: /--shard 4\/3/ });
});

t.test('expected waits come from resolv.conf and the rules', async (t) => {
  t.equal(worstWaitMs(undefined), 10_000, 'glibc/Go defaults: timeout 5 x attempts 2');
  t.equal(worstWaitMs('nameserver 1\nnameserver 2\noptions timeout:1 attempts:3\n'), 6000);
  t.equal(estimateMs(fast), 30);
  t.equal(estimateMs(slow), 2 * 2000, 'two lookups, each waiting out one timeout');
});

t.test('a cell its expectation says waits is planned as long as that, though the rules promise an answer at once', async (t) => {
  // As behind systemd-resolved 247, whose retry loop on REFUSED keeps the client waiting.
  const stated = scenario({
    name: 'stated',
    lookups: ['host a.test', 'ip4 a.test'],
    servers: [{ listen: ['127.0.0.53:53/udp'], rules: [{ action: 'refuse' }] }],
    expect: [
      { when: [{ cgo: '1', netdns: ['cgo'], lookup: 'host a.test' }], path: 'cgo', result: 'timeout', error: 'i/o timeout', minMs: 19_000, maxMs: 22_000 },
      { when: [{ go: ['>=1.21'], cgo: '1', netdns: ['cgo'] }], path: 'cgo', result: 'timeout', error: 'i/o timeout', minMs: 9000, maxMs: 12_000 },
      { when: [{ cgo: '0' }, { netdns: ['go', 'default'] }], path: 'go', result: 'error', error: 'server misbehaving', minMs: 0, maxMs: 1000 },
    ],
  });
  const cells = new Map(planCells([stated], tcs).map((c) => [c.id, c.expectedMs]));
  t.equal(cells.get('stated:go1.27.1:cgo=1:netdns=cgo'), 19_000 + 9000, 'each lookup by the first entry that speaks for it');
  t.equal(cells.get('stated:go1.19.1:cgo=1:netdns=cgo'), 19_000, 'an entry for other Go versions says nothing for this one');
  t.equal(cells.get('stated:go1.27.1:cgo=0:netdns=go'), estimateMs(stated), 'a floor of 0 leaves the guess');
  t.equal(statedFloorMs(stated, { scenario: 'stated', go: 'go1.27.1', goMinor: 27, cgo: '1', netdns: 'cgo', godebug: [], tags: [], goModGo: '1.19' }), 28_000);
  const batches = batchCells(planCells([fast, stated], tcs), 2);
  t.equal(batches[0]?.[0]?.axes.scenario, 'stated', 'the cells stated slow start first');
});

t.test('a slow scenario is split over sandboxes; fast ones share one', async (t) => {
  const cells = planCells([fast, slow], tcs);
  const batches = batchCells(cells, 4);
  const slowBatches = batches.filter((b) => b[0]?.axes.scenario === 'slow');
  const fastBatches = batches.filter((b) => b[0]?.axes.scenario === 'fast');
  t.equal(fastBatches.length, 1, 'the fast scenario runs in one sandbox');
  t.ok(slowBatches.length >= 4, `the slow one is spread over ${slowBatches.length} sandboxes`);
  t.ok(batches.every((b) => new Set(b.map((c) => c.axes.scenario)).size === 1), 'a sandbox holds one scenario');
  const loads = slowBatches.map((b) => b.reduce((s, c) => s + c.expectedMs, 0));
  t.ok(Math.max(...loads) - Math.min(...loads) <= 4000, `balanced: ${loads.join(', ')} ms`);
  t.equal(batches.flat().length, cells.length, 'every cell once');
  t.same(batches[0]?.[0]?.axes.scenario, 'slow', 'the longest batches start first');
  const measured = new Map(cells.filter((c) => c.axes.scenario === 'fast').map((c) => [c.id, 9000]));
  t.equal(planCells([fast], tcs, undefined, undefined, measured)[0]?.expectedMs, 9000, 'a measured time beats the estimate');
});

t.test('a scenario widens the extra axes for itself only', async (t) => {
  const wide = scenario({ name: 'wide', axes: { godebug: ['netedns0=0'], goModGo: ['1.18'] } });
  const cells = planCells([fast, wide], [tcs[1]!], { ...(await import('../../src/plan/cells.js')).DEFAULT_AXES, cgo: ['0'], netdns: ['go'] });
  t.same(cells.map((c) => c.id), [
    'fast:go1.27.1:cgo=0:netdns=go',
    'wide:go1.27.1:cgo=0:netdns=go',
    'wide:go1.27.1:cgo=0:netdns=go:godebug=netedns0=0',
    'wide:go1.27.1:cgo=0:netdns=go:godebug=netedns0=0:gomod=1.18',
    'wide:go1.27.1:cgo=0:netdns=go:gomod=1.18',
  ]);
});

t.test('the stub axis: only scenarios with a resolved server get it; in the id, parsed back, batched apart', async (t) => {
  const withResolved = scenario({ name: 'r', servers: [{ kind: 'resolved', emulation: {} }, { listen: ['127.0.0.2:53/udp'] }] });
  const plain = scenario({ name: 'p' });
  const cells = planCells([withResolved, plain], [toolchain(27)], { ...DEFAULT_AXES, cgo: ['1'], netdns: ['go'] });
  t.same(cells.map((c) => c.id), ['p:go1.27.1:cgo=1:netdns=go', 'r:go1.27.1:cgo=1:netdns=go:stub=emulated', 'r:go1.27.1:cgo=1:netdns=go:stub=real']);
  t.equal(parseCellId('r:go1.27.1:cgo=1:netdns=go:stub=real').stub, 'real');
  t.equal(parseCellId('p:go1.27.1:cgo=1:netdns=go').stub, undefined);
  t.throws(() => parseCellId('r:go1.27.1:cgo=1:netdns=go:stub=fake'), { message: /stub=fake is not one of real, emulated, passthrough/ });
  const batches = batchCells(cells, 1);
  t.equal(batches.length, 3, 'one sandbox per scenario and stub');
  const passthrough = planCells([withResolved], [toolchain(27)], { ...DEFAULT_AXES, cgo: ['1'], netdns: ['go'], stub: ['passthrough'] });
  t.same(passthrough.map((c) => c.axes.stub), ['passthrough']);
});

t.test('musl cells are expected to wait out the timeout wherever the stub is not plainly healthy', async (t) => {
  const { estimateMuslMs } = await import('../../src/plan/cells.js');
  const healthy = scenario({ name: 'h', servers: [{ listen: ['127.0.0.53:53/udp'] }] });
  t.equal(estimateMuslMs(healthy), estimateMs(healthy));
  const refusing = scenario({ name: 'r', files: { 'resolv.conf': 'nameserver 127.0.0.53\noptions timeout:2\n' }, servers: [{ listen: ['127.0.0.53:53/udp'], rules: [{ action: 'refuse' }] }] });
  t.equal(estimateMs(refusing), 30, 'glibc gives up at once');
  t.equal(estimateMuslMs(refusing), 2000, 'musl waits its timeout');
  t.equal(estimateMuslMs(scenario({ name: 'm' })), 5000, 'no server at all: the default 5 s');
});
