import { formatQuery } from '../dns/format.js';
import { buildProbe, isSkip } from '../go/probe-build.js';
import { cellFromId } from '../plan/cell-from-id.js';
import { probeSpecOf, runCell } from '../run/matrix.js';
import { describeProblem } from '../report/terminal.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { onPlatform, ResolvedUnavailableError, sandboxFor } from '../run/sandbox-for.js';
import { cleanUpOnSignals } from '../sandbox/registry.js';
import { platformsForRun } from '../provision/platform.js';

/** Re-runs exactly one cell, verbosely: files, every query, the probe's stderr and result. */
export async function repro(id: string, json: boolean, pcapFile?: string, scenariosDir?: string): Promise<number> {
  cleanUpOnSignals();
  const cell = await cellFromId(id, scenariosDir ? { scenariosDir } : {});
  const { axes, scenario, toolchain } = cell;
  // A platform cell runs on that platform (fetched now if the cache lacks it), or says why it cannot.
  const platform = axes.platform ? (await platformsForRun([axes.platform], true, (s) => process.stderr.write(`${s}\n`))).get(axes.platform) : undefined;
  if (platform && 'unavailable' in platform) {
    process.stderr.write(`skipped: platform ${axes.platform} is not available: ${platform.unavailable}\n`);
    return 0;
  }
  const probe = await buildProbe(probeSpecOf(cell, platform));
  if (isSkip(probe)) {
    process.stderr.write(`skipped: ${probe.skipped}\n`);
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
    const r = await runCell(sb, cell, probe, pcapFile);
    if (json) {
      process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
    } else {
      const w = (s: string) => process.stdout.write(`${s}\n`);
      w(`cell ${r.id}`);
      w(`probe ${probe.path} (${toolchain.version}, CGO_ENABLED=${axes.cgo} as built: ${r.builtCgo ?? '?'}) with GODEBUG=${r.godebugEnv}`);
      w(`sandbox ${sb.method}; files:`);
      for (const m of sb.mounts) w(`  ${m.target}${m.mountedAt !== m.target ? ` -> ${m.mountedAt}` : ''}${m.note ? ` (${m.note})` : ''}`);
      for (const [name, content] of Object.entries(onPlatform(scenario, platform).files)) {
        w(`--- ${name}`);
        w(content === null ? '  (absent)' : content.trimEnd().split('\n').map((l) => `  ${l}`).join('\n'));
      }
      r.queries.forEach((list, i) => {
        w(`--- server ${i} (${sb.servers[i]?.join(', ')}): ${list.length} queries`);
        for (const q of list) w(formatQuery(q));
      });
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
