/** A plan request's words: the shard, and the axis flags as points. */
import t from 'tap';
import { axesFrom, parseShard } from '../../src/plan/request.js';
import { UsageError } from '../../src/errors.js';

t.test('a shard is i/n, anything else a usage error', async (t) => {
  t.same(parseShard('2/4'), { index: 2, count: 4 });
  t.equal(parseShard(undefined), undefined);
  for (const bad of ['5', '2/', 'a/b', '2-4']) t.throws(() => parseShard(bad), UsageError, bad);
});

t.test('flags become points: defaults where a flag is not given, each value checked', async (t) => {
  const a = axesFrom({ cgo: ['0,1'], netdns: ['go'] });
  t.same([a.cgo, a.netdns], [['0', '1'], ['go']]);
  t.same(axesFrom({}).cgo, ['0', '1'], "cgo's defaults");
  t.throws(() => axesFrom({ cgo: ['2'] }), { message: /--cgo/ });
});
