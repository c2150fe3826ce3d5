/** merge: shards of one plan, all of them, each once. */
import t from 'tap';
import { mergeResults } from '../../src/results/merge.js';
import { cellResult, runResult } from '../helpers/fixtures.js';

const shard = (index: number, count: number, id: string) => {
  const r = runResult([cellResult(id, 'pass')]);
  r.meta.shard = { index, count };
  return r;
};

t.test('every shard once, or a clear refusal', async (t) => {
  const ok = mergeResults([shard(2, 2, 'b:go1.27.4:cgo=0:netdns=go'), shard(1, 2, 'a:go1.27.4:cgo=0:netdns=go')]);
  t.same(ok.cells.map((c) => c.id), ['a:go1.27.4:cgo=0:netdns=go', 'b:go1.27.4:cgo=0:netdns=go']);
  t.equal(ok.meta.shard, undefined);
  t.throws(() => mergeResults([shard(1, 3, 'a:go1.27.4:cgo=0:netdns=go'), shard(3, 3, 'c:go1.27.4:cgo=0:netdns=go')]), /shard 2\/3 missing: merge needs all 3 shards/);
  t.throws(() => mergeResults([shard(1, 2, 'a:go1.27.4:cgo=0:netdns=go'), runResult([cellResult('b:go1.27.4:cgo=0:netdns=go', 'pass')])]), /these are not shards of one plan: 1\/2, unsharded/);
  t.throws(() => mergeResults([shard(1, 2, 'a:go1.27.4:cgo=0:netdns=go'), shard(2, 3, 'b:go1.27.4:cgo=0:netdns=go')]), /these are not shards of one plan: 1\/2, 2\/3/);
  t.same(mergeResults([runResult([cellResult('a:go1.27.4:cgo=0:netdns=go', 'pass')])]).summary.total, 1, 'a single unsharded result merges to itself');
});
