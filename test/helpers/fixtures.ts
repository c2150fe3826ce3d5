/** Small typed objects for the pure planning, expectation and rendering tests. */
import type { Toolchain } from '../../src/go/toolchains.js';
import type { CellResult, LookupOutcome, RunResult } from '../../src/results/model.js';
import { SCHEMA_VERSION, summarize } from '../../src/results/model.js';
import { scenarioFrom, scenarioSchema, type Scenario, type ScenarioInput } from '../../src/scenario/schema.js';

export function toolchain(minor: number): Toolchain {
  return { version: `go1.${minor}.1`, minor, goroot: `/opt/go-1.${minor}`, go: `/opt/go-1.${minor}/bin/go`, source: 'given', goos: 'linux', goarch: 'amd64', cgoDefault: '1', cc: 'gcc' };
}

export function scenario(over: Partial<ScenarioInput> & { name: string }): Scenario {
  return scenarioFrom(scenarioSchema.parse({ summary: 'test scenario', lookups: ['host app.example.test'], ...over }), `${over.name}.yaml`);
}

export function outcome(over: Partial<LookupOutcome> = {}): LookupOutcome {
  return { kind: 'host', name: 'app.example.test', ok: true, addrs: ['192.0.2.10'], isNotFound: false, isTimeout: false, isTemporary: false, elapsedMs: 5, declaredPath: 'go', ...over };
}

export function cellResult(id: string, verdict: CellResult['verdict'], path: 'go' | 'cgo' = 'go'): CellResult {
  const [scenarioName, go, cgo, netdns] = id.split(':');
  return {
    id,
    axes: { scenario: scenarioName as string, go: go as string, goMinor: Number(/1\.(\d+)/.exec(go as string)?.[1]), cgo: cgo?.endsWith('1') ? '1' : '0', netdns: (netdns?.split('=')[1] ?? 'default') as 'default', godebug: [], tags: [], goModGo: '1.19' },
    verdict,
    godebugEnv: 'netdns=2',
    declared: { mode: path, modeLine: null, raw: [] },
    observed: { path: path === 'cgo' ? 'glibc' : 'go', evidence: [], disagrees: false },
    lookups: [outcome({ declaredPath: path })],
    checks: verdict === 'fail' ? [{ lookup: 'host app.example.test', expectation: 0, ok: false, problems: ['expected ok, got error "x"'] }] : [],
    queries: [],
    durationMs: 10,
    probeExit: 0,
    repro: `go-dns-harness repro '${id}'`,
  };
}

export function runResult(cells: CellResult[]): RunResult {
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: { harnessVersion: '0.0.0', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z', host: { kernel: 'k', distro: 'Debian', glibc: 'glibc 2.36', arch: 'x64' }, sandboxMethod: 'unshare', toolchains: [], jobs: 1, argv: [] },
    cells,
    summary: summarize(cells),
  };
}
