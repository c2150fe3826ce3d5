import { formatQuery } from '../dns/format.js';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { buildProbe, type ProbeBinary } from '../go/probe-build.js';
import { buildProgram, isProgramSkip } from '../go/program-build.js';
import { resolveProgram, type Program } from '../go/program.js';
import { cellFromId } from '../plan/cell-from-id.js';
import type { Cell } from '../plan/cells.js';
import type { CellResult } from '../results/model.js';
import { loadProgramExpectations, PROGRAM_EXPECT_FILE } from '../scenario/program-expect.js';
import { probeSpecOf, programSpecOf, runCell, runProgramCell } from '../run/matrix.js';
import { describeProblem } from '../report/terminal.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { onPlatform, ResolvedUnavailableError, sandboxFor } from '../run/sandbox-for.js';
import { cleanUpOnSignals } from '../sandbox/registry.js';
import { platformsForRun, type PlatformInstall } from '../provision/platform.js';

/** Re-runs exactly one cell, verbosely: files, every query, the probe's stderr and result. */
export async function repro(id: string, json: boolean, pcapFile?: string, scenariosDir?: string, programPath?: string, programArgs: string[] = []): Promise<number> {
  cleanUpOnSignals();
  if (programArgs.length && !programPath) throw new UsageError('repro: words after -- are the arguments of a --program; give --program PATH, or drop them');
  const program = programPath ? resolveProgram(programPath) : undefined;
  const cell = await cellFromId(id, { ...(scenariosDir ? { scenariosDir } : {}), ...(program ? { program } : {}) });
  const { axes, scenario, toolchain } = cell;
  // A platform cell runs on that platform (fetched now if the cache lacks it), or says why it cannot.
  const platform = axes.platform ? (await platformsForRun([axes.platform], true, (s) => process.stderr.write(`${s}\n`))).get(axes.platform) : undefined;
  if (platform && 'unavailable' in platform) {
    process.stderr.write(`skipped: platform ${axes.platform} is not available: ${platform.unavailable}\n`);
    return 0;
  }
  const binary = program ? await programBinary(cell, program, platform) : await buildProbe(probeSpecOf(cell, platform));
  if ('skipped' in binary) {
    process.stderr.write(`skipped: ${binary.skipped}\n`);
    return 0;
  }
  let sb: Sandbox;
  try {
    sb = await sandboxFor(scenario, { ...(axes.stub ? { stub: axes.stub } : {}), ...(platform ? { platform } : {}), log: (s) => process.stderr.write(`${s}\n`) });
  } catch (err) {
    if (!(err instanceof ResolvedUnavailableError)) throw err;
    process.stderr.write(`skipped: ${err.message}\n`);
    return 0;
  }
  try {
    if (program) return await reproProgram(sb, cell, program, binary.path, programArgs, json, pcapFile);
    const probe = binary as ProbeBinary;
    const r = await runCell(sb, cell, probe, pcapFile);
    if (json) {
      process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
    } else {
      const w = (s: string) => process.stdout.write(`${s}\n`);
      w(`cell ${r.id}`);
      w(`probe ${probe.path} (${toolchain.version}, CGO_ENABLED=${axes.cgo} as built: ${r.builtCgo ?? '?'}) with GODEBUG=${r.godebugEnv}`);
      w(`sandbox ${sb.method}; files:`);
      for (const m of sb.mounts) w(`  ${m.target}${m.mountedAt !== m.target ? ` -> ${m.mountedAt}` : ''}${m.note ? ` (${m.note})` : ''}`);
      printSetting(w, sb, scenario, platform, r);
      w('--- probe stderr');
      w((r.probeStderr ?? '').trimEnd());
      w('--- lookups');
      for (const l of r.lookups) w(`  ${l.kind} ${l.name}: ${l.ok ? `ok ${(l.addrs ?? []).join(' ') || JSON.stringify(l.records ?? '')}` : `error "${l.error}"${l.isTimeout ? ' timeout' : ''}${l.isNotFound ? ' notfound' : ''}${l.isTemporary ? ' temporary' : ''}`} (${l.elapsedMs} ms, declared ${l.declaredPath})`);
      if (r.resolved) {
        w(`--- systemd-resolved (${r.resolved.version}) log while the probe ran`);
        for (const l of r.resolved.log) w(`  ${l}`);
      }
      if (r.pcap) w(`--- pcap: ${r.pcap.file} (${r.pcap.method})`);
      w(`--- verdict: ${r.verdict}`);
      if (r.verdict !== 'pass') for (const line of describeProblem(r).slice(1, -1)) w(`  ${line}`);
    }
    return r.verdict === 'fail' || r.verdict === 'error' ? 1 : 0;
  } finally {
    await sb.close();
  }
}

/** The sandbox's files and mounts, and every query its servers saw: what any repro prints first. */
function printSetting(w: (s: string) => void, sb: Sandbox, scenario: Cell['scenario'], platform: PlatformInstall | undefined, r: CellResult): void {
  for (const [name, content] of Object.entries(onPlatform(scenario, platform).files)) {
    w(`--- ${name}`);
    w(content === null ? '  (absent)' : content.trimEnd().split('\n').map((l) => `  ${l}`).join('\n'));
  }
  r.queries.forEach((list, i) => {
    w(`--- server ${i} (${sb.servers[i]?.join(', ')}): ${list.length} queries`);
    for (const q of list) w(formatQuery(q));
  });
}

/** The binary a program cell runs: built for the cell's settings, or the user's own. */
async function programBinary(cell: Cell, program: Program, platform: PlatformInstall | undefined): Promise<{ path: string } | { skipped: string }> {
  if (program.kind === 'binary') return { path: program.path };
  const built = await buildProgram(programSpecOf(cell, program, platform));
  return isProgramSkip(built) ? { skipped: built.skipped } : { path: built.path };
}

/** A program cell again: the exact command and environment, the files, every query, its output and its verdict. */
async function reproProgram(sb: Sandbox, cell: Cell, program: Program, binary: string, args: string[], json: boolean, pcapFile?: string): Promise<number> {
  const expectations = loadProgramExpectations(program.kind === 'package' ? program.dir : dirname(program.path));
  const r = await runProgramCell(sb, cell, binary, { args, ...(expectations ? { expectations } : {}) }, pcapFile);
  if (json) process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
  else {
    const w = (s: string) => process.stdout.write(`${s}\n`);
    const p = r.program;
    w(`cell ${r.id}`);
    w(`program ${binary}${args.length ? ` ${args.join(' ')}` : ''} (${program.kind === 'package' ? `built from ${program.given} with ${cell.toolchain.version}, CGO_ENABLED=${cell.axes.cgo}` : `a built binary, ${cell.toolchain.version}`}) with GODEBUG=${r.godebugEnv}${Object.keys(cell.scenario.env).length ? ` and ${Object.entries(cell.scenario.env).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
    w(`sandbox ${sb.method}; files:`);
    for (const m of sb.mounts) w(`  ${m.target}${m.mountedAt !== m.target ? ` -> ${m.mountedAt}` : ''}${m.note ? ` (${m.note})` : ''}`);
    printSetting(w, sb, cell.scenario, undefined, r);
    w('--- program stdout');
    w((p?.stdout ?? '').trimEnd());
    w('--- program stderr');
    w((p?.stderr ?? '').trimEnd());
    if (p?.dropped) w(`(not kept: ${p.dropped.stdout} bytes of stdout, ${p.dropped.stderr} of stderr)`);
    w(`--- ${p ? (p.timedOut ? 'killed at the time limit' : p.signal ? `killed by ${p.signal}` : `exit ${p.exitCode}`) : r.reason ?? 'no run'} after ${Math.round(p?.elapsedMs ?? 0)} ms; paths: ${p?.paths.map((x) => `${x.name} ${x.path}`).join(', ') || 'none traced'}`);
    if (r.resolved) {
      w(`--- systemd-resolved (${r.resolved.version}) log while the program ran`);
      for (const l of r.resolved.log) w(`  ${l}`);
    }
    if (r.pcap) w(`--- pcap: ${r.pcap.file} (${r.pcap.method})`);
    w(`--- verdict: ${r.verdict}${expectations ? ` (${expectations.source})` : ` (no ${PROGRAM_EXPECT_FILE}: measured only)`}`);
    if (r.verdict !== 'pass' && r.verdict !== 'info') for (const line of describeProblem(r).slice(1, -1)) w(`  ${line}`);
  }
  return r.verdict === 'fail' || r.verdict === 'error' ? 1 : 0;
}
