import { execa } from 'execa';
import { methods, SandboxUnavailableError, type MethodAttempt, type SandboxMethod } from './methods.js';
import { workerCommand, workerEnv } from './worker-command.js';

export interface CapabilityOptions {
  /** Override binaries (tests simulate failures with these). */
  bins?: { unshare?: string; bwrap?: string };
  /** Only try these methods. */
  only?: SandboxMethod['name'][];
}

let cached: Promise<{ method: SandboxMethod; attempts: MethodAttempt[] }> | undefined;

function reasonOf(r: { exitCode?: number; stderr?: unknown; stdout?: unknown; shortMessage?: string; code?: string }): string {
  if (r.code === 'ENOENT') return 'not installed (command not found)';
  const text = `${String(r.stderr ?? '')}\n${String(r.stdout ?? '')}`.trim();
  const selfTest = /\{"type":"self-test".*\}/.exec(text)?.[0];
  if (selfTest) {
    try {
      const ev = JSON.parse(selfTest) as { error?: string; steps: string[] };
      return `started, but ${ev.error ?? 'failed'} (after: ${ev.steps.join(', ') || 'nothing'})`;
    } catch {
      // fall through to the raw text
    }
  }
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  // The line that says what went wrong, not the end of a stack trace.
  const telling = lines.find((l) => /denied|not permitted|failed|error|cannot|no such/i.test(l) && !/^at /.test(l));
  return telling ?? lines.at(-1) ?? r.shortMessage ?? `exit code ${String(r.exitCode)}`;
}

/**
 * Tries each method in order by starting the real worker in its self-test mode (lo up, a bind
 * mount, a listener on 127.0.0.53:53) and returns the first that passes. When none does, throws
 * SandboxUnavailableError listing every method and its exact reason.
 */
export async function findSandboxMethod(opts: CapabilityOptions = {}): Promise<{ method: SandboxMethod; attempts: MethodAttempt[] }> {
  const attempts: MethodAttempt[] = [];
  for (const m of methods(opts.bins)) {
    if (opts.only && !opts.only.includes(m.name)) continue;
    const [cmd, args] = m.argv([...workerCommand(), '--self-test']);
    const r = await execa(cmd, args, { reject: false, timeout: 30_000, stdin: 'ignore', env: workerEnv(), extendEnv: false });
    if (r.exitCode === 0 && /"ok":true/.test(String(r.stdout))) {
      attempts.push({ method: m.name, ok: true, reason: 'works' });
      return { method: m, attempts };
    }
    attempts.push({ method: m.name, ok: false, reason: `${reasonOf(r as never)} (needs ${m.needs})` });
  }
  throw new SandboxUnavailableError(attempts);
}

/** The same, remembered for the life of the process (the answer does not change while it runs). */
export function sandboxMethod(): Promise<{ method: SandboxMethod; attempts: MethodAttempt[] }> {
  // GDH_UNSHARE / GDH_BWRAP name other binaries (an unusual install, or a test simulating failure).
  const bins = { ...(process.env.GDH_UNSHARE ? { unshare: process.env.GDH_UNSHARE } : {}), ...(process.env.GDH_BWRAP ? { bwrap: process.env.GDH_BWRAP } : {}) };
  cached ??= findSandboxMethod({ bins });
  cached.catch(() => (cached = undefined));
  return cached;
}
