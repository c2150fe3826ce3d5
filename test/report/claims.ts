/** Claims are settled by the data: the same claim flips when the cells or experiments say otherwise. */
import t from 'tap';
import { ednsFinding, evaluateClaims, renderClaims, verdictOf, type ClaimVerdict, type Experiments } from '../../src/report/claims.js';
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

const experiments = (emptyBuilt: string, fixedBy0: boolean): Experiments => ({
  cgoEnv: [{ toolchain: 'go1.27.4', env: 'unset', built: '1' }, { toolchain: 'go1.27.4', env: '""', built: emptyBuilt }, { toolchain: 'go1.27.4', env: '"0"', built: '0' }],
  goModDownload: ['0', '1'].map((env) => ({
    toolchain: 'go1.27.4', goCommandCgo: '0', env, exitCode: fixedBy0 && env === '0' ? 0 : 1, elapsedMs: 1010, lastError: 'dial tcp: lookup proxy.example.test: i/o timeout', queries: 2, observed: 'go (EDNS size 1232)',
  })),
});

t.test('the claims as the measurements have them', async (t) => {
  const run = runResult(stubCells(false, 'cgo'));
  const claims = evaluateClaims(run, experiments('1', false));
  t.same(claims.map((c) => c.verdict), ['partly true', 'false', 'false', 'false', 'false', 'partly true']);
  t.match(claims[0]?.finding, /its own resolver in Go 1\.27 and glibc's in Go 1\.19/);
  t.match(claims[1]?.finding, /In 4 of 4 CGO_ENABLED=0 cells of stub-refused/);
  const md = renderClaims(run, claims);
  t.match(md, /## "CGO_ENABLED=0 bypasses the systemd-resolved stub on 127\.0\.0\.53"\n\n\*\*False\.\*\*/);
  t.match(md, /\| `stub-refused:go1\.19\.8:cgo=0:netdns=default` \| error: lookup app\.example\.test on 127\.0\.0\.53:53: server misbehaving \| go \| go \| `go-dns-harness repro 'stub-refused:go1\.19\.8:cgo=0:netdns=default'` \|/);
  t.match(md, /\| go1\.27\.4 \| "" \| 1 \|/);
});

t.test('other data, other verdicts: the claims are computed, not written', async (t) => {
  const claims = evaluateClaims(runResult(stubCells(true, 'go')), experiments('0', true));
  t.same(claims.map((c) => c.verdict), ['false', 'false', 'true', 'true', 'true', 'true']);
});

t.test('one rule for every verdict: all for, all against, both, none', async (t) => {
  t.same([verdictOf(2, 0), verdictOf(0, 2), verdictOf(1, 1), verdictOf(0, 0)], ['true', 'false', 'partly true', 'not measured']);
});

t.test('each claim can come out every way: its formula is the one rule applied to its own evidence', async (t) => {
  const all: ClaimVerdict[] = ['true', 'false', 'partly true', 'not measured'];
  // Evidence for claim i: `yes` items that bear it out, `no` items against.
  const evidence = (i: number, yes: number, no: number): [CellResult[], Experiments] => {
    const cells: CellResult[] = [];
    const ex: Experiments = { cgoEnv: [], goModDownload: [] };
    const items = [...Array(yes).fill(true), ...Array(no).fill(false)] as boolean[];
    items.forEach((holds, k) => {
      const go = `go1.${19 + k}.1`;
      if (i === 0 || i === 5) {
        const path = (i === 0) === holds ? 'cgo' : 'go';
        cells.push(cellResult(`ubuntu-stub-healthy:${go}:cgo=1:netdns=default`, 'pass', path));
      } else if (i === 1) {
        const c = cellResult(`stub-refused:${go}:cgo=0:netdns=default`, 'pass');
        c.queries = holds ? [[]] : [[{ server: { address: '127.0.0.53', port: 53 } } as never]];
        cells.push(c);
      } else if (i === 3) {
        const c = cellResult(`stub-refused:${go}:cgo=1:netdns=go`, 'pass');
        c.lookups = [outcome(holds ? {} : { ok: false, error: 'server misbehaving' })];
        cells.push(c);
      } else if (i === 2) ex.cgoEnv.push({ toolchain: go, env: '""', built: holds ? '0' : '1' });
      else for (const env of ['0', '1']) ex.goModDownload.push({ toolchain: go, goCommandCgo: '0', env, exitCode: holds && env === '0' ? 0 : 1, elapsedMs: 1000, lastError: '', queries: 1, observed: 'go' });
    });
    return [cells, ex];
  };
  for (let i = 0; i < 6; i++) {
    const got = ([[2, 0], [0, 2], [1, 1], [0, 0]] as const).map(([yes, no]) => {
      const [cells, ex] = evidence(i, yes, no);
      return evaluateClaims(runResult(cells), ex)[i]?.verdict;
    });
    t.same(got, all, `claim ${i + 1}`);
  }
});

t.test('what Go sent over EDNS0 is read from the queries, per Go version and go.mod line', async (t) => {
  const q = (edns: number | null) => ({ server: { address: '127.0.0.53', port: 53 }, qtype: 'A', edns: edns === null ? null : { udpSize: edns, version: 0, do: false, options: [] } }) as never;
  const cells = (['1.19', '1.18'] as const).flatMap((mod) =>
    ['go1.19.8', 'go1.27.4'].map((go) => {
      const c = cellResult(`oversize-1232:${go}:cgo=0:netdns=go${mod === '1.18' ? ':gomod=1.18' : ''}`, 'pass');
      c.axes.goModGo = mod;
      c.queries = [[q(mod === '1.18' && go === 'go1.27.4' ? null : 1232)]];
      return c;
    }),
  );
  t.equal(ednsFinding(runResult(cells)), "What Go's resolver sent, whatever the edns0 option said (every cell of the run in which it asked a fake server): with a go.mod `go 1.18` line: OPT 1232 in Go 1.19; no OPT in Go 1.27; with a go.mod `go 1.19` line: OPT 1232 in Go 1.19, 1.27.");
});

t.test('which line of the stub options sends Go to glibc is read from the one-line scenarios', async (t) => {
  const cells = (['edns0', 'trust-ad'] as const).flatMap((word) =>
    ['go1.19.8', 'go1.27.4'].map((go) => cellResult(`resolv-option-${word}:${go}:cgo=1:netdns=default`, 'pass', go === 'go1.19.8' && word === 'trust-ad' ? 'cgo' : 'go')),
  );
  const claim = evaluateClaims(runResult([...stubCells(true, 'cgo'), ...cells]), experiments('1', false))[5];
  t.match(claim?.finding, /Line by line: `options edns0` alone sends Go none to glibc \(resolv-option-edns0\); `options trust-ad` alone sends Go 1\.19 to glibc \(resolv-option-trust-ad\)\./);
  t.ok(claim?.cells.some((c) => c.id.startsWith('resolv-option-trust-ad:go1.19.8')), 'the cell that shows it is among the evidence');
});
