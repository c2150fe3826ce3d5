/**
 * Wall time of the default matrix against its lower bound, and the harness's overhead per cell.
 * Lower bound: the largest of the longest cell, the cells' summed waits over --jobs, and the CPU
 * work (this process and its children: sandboxes, probes) over the cores. Overhead per cell: the
 * cell's wall time in the harness minus the probe's own wall time inside the sandbox.
 * Targets: within 1.3x the lower bound; at most 5 ms median overhead per cell.
 * BENCH_JOBS sets --jobs (default 16, as the CLI); BENCH_PLATFORMS the platform axis (e.g. all:
 * the host and every fetched platform; default the host); BENCH_SCENARIOS a comma-separated list of
 * scenario names or globs (default all); probes are built before timing starts.
 */
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
// The built package, as a user would import it (and so packageRoot() finds scenarios/).
import { DEFAULT_AXES, DEFAULT_GO_MOD, buildProbes, discoverToolchains, loadScenarios, planCells, platformPoints, readPlatform, runMatrix, selectScenarios, type PlatformInstall, type ProbeSpec } from '../dist/index.js';

function cpuMs(): number {
  // utime, stime, cutime, cstime of this process (children are counted once they are reaped).
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = [11, 12, 13, 14].reduce((s, i) => s + Number(f[i] ?? 0), 0);
  return (ticks * 1000) / 100;
}

async function main(): Promise<void> {
  const jobs = Number(process.env.BENCH_JOBS ?? 16);
  const toolchains = await discoverToolchains();
  if (toolchains.length === 0) throw new Error('no Go toolchains; run: go-dns-harness toolchains fetch 1.19 newest');
  const platforms = platformPoints((process.env.BENCH_PLATFORMS ?? 'host').split(','));
  const scenarios = process.env.BENCH_SCENARIOS ? selectScenarios(loadScenarios(), process.env.BENCH_SCENARIOS.split(',')) : loadScenarios();
  const cells = planCells(scenarios, toolchains, { ...DEFAULT_AXES, platform: platforms });
  const installOf = (name: string | undefined): PlatformInstall | undefined => {
    const p = name ? readPlatform(name) : undefined;
    if (p && 'unavailable' in p) throw new Error(p.unavailable);
    return p;
  };
  const specs = new Map<string, ProbeSpec>(
    cells.map((c) => {
      const platform = c.axes.cgo === '1' ? installOf(c.axes.platform) : undefined;
      return [`${c.toolchain.goroot}|${c.axes.cgo}|${platform?.name ?? ''}`, { toolchain: c.toolchain, cgo: c.axes.cgo, tags: [], goModGo: DEFAULT_GO_MOD, ...(platform ? { platform } : {}) }];
    }),
  );
  await buildProbes([...specs.values()], 2);
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const run = await runMatrix(cells, { jobs });
  const wall = performance.now() - t0;
  const cpu = cpuMs() - cpu0;
  const durations = run.cells.map((c) => c.durationMs);
  const longest = Math.max(...durations);
  const waits = durations.reduce((a, b) => a + b, 0);
  const cores = cpus().length;
  const bound = Math.max(longest, waits / jobs, cpu / cores);
  const overheads = run.cells.filter((c) => c.probeMs !== undefined).map((c) => c.durationMs - (c.probeMs ?? 0)).sort((a, b) => a - b);
  const median = overheads[Math.floor(overheads.length / 2)] ?? NaN;
  console.log(`${run.cells.length} cells, ${toolchains.length} toolchains, platforms ${platforms.join(',')}, --jobs ${jobs}, ${cores} cores; verdicts: ${JSON.stringify(run.summary)}`);
  console.log(`wall time:        ${(wall / 1000).toFixed(1)} s`);
  console.log(`lower bound:      ${(bound / 1000).toFixed(1)} s = max(longest cell ${(longest / 1000).toFixed(1)} s, waits ${(waits / 1000).toFixed(1)} s / ${jobs}, CPU ${(cpu / 1000).toFixed(1)} s / ${cores})`);
  console.log(`ratio:            ${(wall / bound).toFixed(2)}x (target <= 1.3)`);
  console.log(`overhead per cell: median ${median.toFixed(2)} ms, p90 ${(overheads[Math.floor(overheads.length * 0.9)] ?? NaN).toFixed(2)} ms (target median <= 5)`);
  if (!(wall / bound <= 1.3 && median <= 5)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
