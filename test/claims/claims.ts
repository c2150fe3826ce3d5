/** Claims are settled by the data: the same claim flips when the cells or experiments say otherwise. */
import t from 'tap';
import { evaluateClaims, renderClaims, type Experiments } from '../../src/claims/claims.js';
import type { CellResult } from '../../src/results/model.js';
import { cellResult, outcome, runResult } from '../helpers/fixtures.js';

function stubCells(refusedOk: boolean, go119Path: 'go' | 'cgo'): CellResult[] {
  const out: CellResult[] = [];
  for (const go of ['go1.19.8', 'go1.27.4'])
    for (const cgo of ['0', '1'])
      for (const netdns of ['default', 'go']) {
        const path = go === 'go1.19.8' && cgo === '1' && netdns === 'default' ? go119Path : 'go';
        out.push(cellResult(`ubuntu-stub-healthy:${go}:cgo=${cgo}:netdns=${netdns}`, 'pass', path));
        const r = cellResult(`stub-refused:${go}:cgo=${cgo}:netdns=${netdns}`, 'pass', path);
        r.lookups = [outcome({ ok: refusedOk, ...(refusedOk ? {} : { error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving' }), declaredPath: path })];
        r.queries = [[{ server: { address: '127.0.0.53', port: 53 } } as never]];
        out.push(r);
      }
  return out;
}

const experiments = (emptyBuilt: string, sameWire: boolean): Experiments => ({
  cgoEnv: [{ toolchain: 'go1.27.4', env: 'unset', built: '1' }, { toolchain: 'go1.27.4', env: '""', built: emptyBuilt }, { toolchain: 'go1.27.4', env: '"0"', built: '0' }],
  goModDownload: ['0', '1'].map((env) => ({
    toolchain: 'go1.27.4', goCommandCgo: '0', env, exitCode: 1, elapsedMs: sameWire || env === '0' ? 1010 : 5020, lastError: 'dial tcp: lookup proxy.example.test: i/o timeout', queries: 2, observed: 'go (EDNS size 1232)',
  })),
});

t.test('the claims as the measurements have them', async (t) => {
  const run = runResult(stubCells(false, 'cgo'));
  const claims = evaluateClaims(run, experiments('1', true));
  t.same(claims.map((c) => c.verdict), ['partly true', 'false', 'false', 'false', 'false', 'partly true']);
  t.match(claims[0]?.finding, /its own resolver in Go 1\.27 and glibc's in Go 1\.19/);
  t.match(claims[1]?.finding, /In 4 of 4 CGO_ENABLED=0 cells of stub-refused/);
  const md = renderClaims(run, claims);
  t.match(md, /## "CGO_ENABLED=0 bypasses the systemd-resolved stub on 127\.0\.0\.53"\n\n\*\*False\.\*\*/);
  t.match(md, /\| `stub-refused:go1\.19\.8:cgo=0:netdns=default` \| error: lookup app\.example\.test on 127\.0\.0\.53:53: server misbehaving \| go \| go \| `go-dns-harness repro 'stub-refused:go1\.19\.8:cgo=0:netdns=default'` \|/);
  t.match(md, /\| go1\.27\.4 \| "" \| 1 \|/);
});

t.test('other data, other verdicts: the claims are computed, not written', async (t) => {
  const claims = evaluateClaims(runResult(stubCells(true, 'go')), experiments('0', false));
  t.same(claims.map((c) => c.verdict), ['false', 'false', 'true', 'true', 'partly true', 'true']);
});
