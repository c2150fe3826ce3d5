import { formatQuery } from '../dns/format.js';
import { UsageError } from '../errors.js';
import { baseEnv } from '../sandbox/sandbox.js';
import { DEFAULT_OUTPUT_CAP } from '../sandbox/protocol.js';
import { cleanUpOnSignals } from '../sandbox/registry.js';
import { resolveScenario } from '../scenario/load.js';
import type { StubMode } from '../resolved/spec.js';
import { sandboxFor } from '../run/sandbox-for.js';
import { HOST_PLATFORM, PlatformError, platformsForRun } from '../provision/platform.js';

export interface ExecArgs {
  scenario: string;
  command: string[];
  json: boolean;
  timeoutMs: number;
  /** Scenarios with a resolved server: what stands on 127.0.0.53. */
  stub?: StubMode;
  /** A platform whose default files and systemd-resolved the sandbox takes (the command itself runs as it is). */
  platform?: string;
}

/**
 * Runs any command inside a scenario's sandbox with its fake servers up, shows the command's
 * output, then the servers' query log. Exits with the command's exit code.
 */
export async function exec(args: ExecArgs): Promise<number> {
  cleanUpOnSignals();
  const scenario = resolveScenario(args.scenario);
  const [cmd, ...rest] = args.command;
  if (!cmd) throw new UsageError('exec: give the command to run after --');
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const platform = args.platform && args.platform !== HOST_PLATFORM ? (await platformsForRun([args.platform], true, say)).get(args.platform) : undefined;
  if (platform && 'unavailable' in platform) throw new PlatformError(`exec --platform ${args.platform}: ${platform.unavailable}`);
  const sandbox = await sandboxFor(scenario, { ...(args.stub ? { stub: args.stub } : {}), ...(platform ? { platform } : {}), log: say });
  try {
    const r = await sandbox.run(cmd, rest, { env: { ...baseEnv(), ...pick(process.env, ['TERM', 'GODEBUG']), ...scenario.env }, timeoutMs: args.timeoutMs });
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ scenario: scenario.name, method: sandbox.method, mounts: sandbox.mounts, servers: sandbox.servers, result: r }, null, 2)}\n`);
    } else {
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.dropped) process.stderr.write(`\n(output past the first ${DEFAULT_OUTPUT_CAP / 1024 / 1024} MiB of each stream not shown: ${r.dropped.stdout} bytes of stdout, ${r.dropped.stderr} of stderr)\n`);
      process.stderr.write(`\n--- ${scenario.name}: query log (${sandbox.method} sandbox) ---\n`);
      if (sandbox.resolved) {
        process.stderr.write(`systemd-resolved (${sandbox.resolved.version}) on 127.0.0.53 and 127.0.0.54; its log:\n`);
        for (const l of r.resolvedLog ?? []) process.stderr.write(`  ${l}\n`);
      }
      r.queries.forEach((list, i) => {
        process.stderr.write(`server ${i} (${sandbox.servers[i]?.join(', ')}): ${list.length} queries\n`);
        for (const q of list) process.stderr.write(`${formatQuery(q)}\n`);
      });
      if (r.spawnError) process.stderr.write(`could not run ${cmd}: ${r.spawnError}\n`);
      if (r.timedOut) process.stderr.write(`${cmd} was stopped after ${args.timeoutMs} ms\n`);
    }
    if (r.spawnError) return 127;
    return r.exitCode ?? 128;
  } finally {
    await sandbox.close();
  }
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (env[k] !== undefined) out[k] = env[k] as string;
  return out;
}
