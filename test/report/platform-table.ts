/** The platform axis in the reports: side by side where platforms differ, each release's resolved, changes between platforms, claims per platform. */
import t from 'tap';
import { renderChanges, platformChanges } from '../../src/report/changes.js';
import { claimsByPlatform, evaluateClaims, renderClaims } from '../../src/report/claims.js';
import { platformRows, renderPlatformTable, renderResolvedReleases } from '../../src/report/platform-table.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { CellResult, QueryRecord } from '../../src/results/model.js';
import { cellResult, outcome, runResult } from '../helpers/fixtures.js';

/** One cell of `scenario` on `platform` (host: none) with the path it took. */
function on(scenario: string, platform: string, cgo: '0' | '1', path: 'go' | 'cgo', stub?: 'real' | 'emulated'): CellResult {
  const id = `${scenario}:go1.27.4:cgo=${cgo}:netdns=default${platform === 'host' ? '' : `:platform=${platform}`}${stub ? `:stub=${stub}` : ''}`;
  const c = cellResult(id, 'pass', path);
  if (platform !== 'host') c.axes.platform = platform;
  if (stub) c.axes.stub = stub;
  c.lookups = [outcome({ declaredPath: path, addrs: ['192.0.2.10'] })];
  return c;
}

const query = (udpSize: number): QueryRecord => ({ seq: 1, time: 0, transport: 'udp', client: { address: '127.0.0.53', port: 1 }, server: { address: '127.0.0.2', port: 53 }, length: 40, qname: 'app.example.test', qtype: 'A', edns: { udpSize, version: 0, do: false, options: [] }, rule: -1, action: 'answer', matched: [], delayMs: 0, response: null });

function run() {
  const cells = [
    // The fresh install: cgo=1 takes glibc where the hosts line names resolve (bookworm on), Go's resolver on bullseye.
    on('fresh', 'debian-11', '1', 'go'),
    on('fresh', 'debian-12', '1', 'cgo'),
    on('fresh', 'debian-13', '1', 'cgo'),
    on('fresh', 'debian-11', '0', 'go'),
    on('fresh', 'debian-12', '0', 'go'),
    on('fresh', 'debian-13', '0', 'go'),
    on('ubuntu-stub-healthy', 'host', '1', 'go'),
    on('ubuntu-stub-healthy', 'debian-11', '1', 'go'),
  ];
  for (const [platform, size] of [['host', 65508], ['debian-11', 512], ['debian-13', 65508]] as const) {
    const real = on('resolved-healthy', platform, '0', 'go', 'real');
    real.queries = [[query(size)]];
    real.resolved = { version: `systemd ${platform === 'debian-11' ? 247 : platform === 'debian-13' ? 257 : 252} (x)`, log: [] };
    cells.push(real);
  }
  cells.push(on('resolved-healthy', 'host', '0', 'go', 'emulated'));
  const r = runResult(cells);
  r.meta.platforms = [
    { name: 'debian-11', suite: 'bullseye', standsFor: 'Ubuntu 20.04', glibc: '2.31', libcPackage: '2.31-13', resolved: 'systemd 247 (247.3)' },
    { name: 'debian-13', suite: 'trixie', standsFor: 'Ubuntu 24.04', glibc: '2.41', libcPackage: '2.41-12', resolved: 'systemd 257 (257.13)' },
  ];
  return r;
}

t.test('platforms side by side: only the settings where they differ', async (t) => {
  const { platforms, rows } = platformRows(run());
  t.same(platforms, ['host', 'debian-11', 'debian-12', 'debian-13'], 'host first, then release order');
  t.same(rows.filter((r) => r.differs).map((r) => `${r.scenario} ${r.setting}`), ['fresh cgo 1 · netdns=default'], 'the path differs on bullseye; nothing else does');
  const md = renderPlatformTable(run());
  t.match(md, /^## Between platforms \(go1\.27\.4\)$/m);
  t.match(md, /\| scenario \| setting \| host \(glibc 2\.36\) \| debian-11 \(glibc 2\.31, systemd 247\) \| debian-12 \| debian-13 \(glibc 2\.41, systemd 257\) \|/);
  t.match(md, /\| fresh \| cgo 1 · netdns=default \|  \| 🟢 ok 192\.0\.2\.10 go \| 🟢 ok 192\.0\.2\.10 cgo \| 🟢 ok 192\.0\.2\.10 cgo \|/);
  t.match(md, /1 of the \d+ settings compared differ between platforms/);
  t.match(renderMarkdown(run()), /## Between platforms/, 'in results.md');
  t.equal(renderPlatformTable(runResult([on('x', 'host', '0', 'go')])), '', 'nothing for a host-only run');
});

t.test("each release's systemd-resolved beside the emulation, with what it sent upstream", async (t) => {
  const md = renderResolvedReleases(run());
  t.match(md, /\| scenario \| setting \| emulated \| host real \(systemd 252\) \| debian-11 real \(systemd 247\) \| debian-13 real \(systemd 257\) \|/);
  t.match(md, /\| resolved-healthy \| cgo 0 · netdns=default \| 🟢 ok 192\.0\.2\.10 go \| 🟢 ok 192\.0\.2\.10 go; upstream EDNS 65508 \| 🟢 ok 192\.0\.2\.10 go; upstream EDNS 512 \| 🟢 ok 192\.0\.2\.10 go; upstream EDNS 65508 \|/);
  const r = run();
  r.cells.find((c) => c.axes.platform === 'debian-11' && c.axes.stub === 'real')!.lookups = [outcome({ ok: false, addrs: [], error: 'lookup app.example.test on 127.0.0.53:53: server misbehaving' })];
  t.match(renderResolvedReleases(r), /\| ≠ 🔴 \w+: server misbehaving go; upstream EDNS 512 \|/, 'a real resolved that differs from the emulation is marked');
  t.match(renderResolvedReleases(r), /1 real-stub cells differ from the emulation/);
});

t.test('changes between adjacent platforms, for the same Go version and setting', async (t) => {
  const steps = platformChanges(run());
  t.same(steps.map((s) => [s.from, s.to, s.compared, s.changed.length]), [['debian-11', 'debian-12', 2, 1], ['debian-12', 'debian-13', 2, 0]]);
  t.equal(steps[0]!.changed[0]!.setting, 'go1.27.4:cgo=1:netdns=default');
  const md = renderChanges(run());
  t.match(md, /## Between platforms\n/);
  t.match(md, /\| debian-11 → debian-12 \| 2 \| 1 \| 1 \|/);
  t.match(md, /### debian-12 → debian-13\n\nNo behaviour changed in the 2 cells compared\./);
});

t.test('claims settled on each platform, and said where they differ', async (t) => {
  const r = run();
  const byPlatform = claimsByPlatform(r);
  t.same(byPlatform.map((p) => p.platform), ['debian-11', 'debian-12', 'debian-13']);
  const host = evaluateClaims(r, { cgoEnv: [], goModDownload: [] });
  t.equal(host[0]!.verdict, 'false', 'host: the default resolver is Go\'s own (ubuntu-stub-healthy)');
  t.equal(byPlatform[0]!.claims[0]!.verdict, 'false', 'debian-11 too');
  r.cells.find((c) => c.axes.scenario === 'ubuntu-stub-healthy' && c.axes.platform === 'debian-11')!.lookups = [outcome({ declaredPath: 'cgo' })];
  const moved = claimsByPlatform(r);
  t.equal(moved[0]!.claims[0]!.verdict, 'true', 'a platform whose cells say otherwise gets its own verdict');
  const md = renderClaims(r, evaluateClaims(r, { cgoEnv: [], goModDownload: [] }), 'Run x.', moved);
  t.match(md, /## On every platform/);
  t.match(md, /\| Go uses the cgo resolver by default on Linux \(differs by platform\) \| False \| True \| Not measured \| Not measured \|/);
  t.match(md, /- "Go uses the cgo resolver by default on Linux" on debian-11: \*\*True\.\*\*/);
});
