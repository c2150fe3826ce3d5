import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { execaSync } from 'execa';
import { HarnessError } from '../errors.js';

export type MethodName = 'unshare' | 'unshare-userns' | 'bwrap';

/** One way of getting private network, mount and PID namespaces for the worker. */
export interface SandboxMethod {
  name: MethodName;
  /** What it needs, in words, for the error when it fails. */
  needs: string;
  argv(inner: string[]): [string, string[]];
}

// PID namespace with the worker as PID 1: when it exits, the kernel ends everything inside.
const COMMON = ['--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc'];

export function methods(bins: { unshare?: string; bwrap?: string } = {}): SandboxMethod[] {
  const unshare = bins.unshare ?? 'unshare';
  const bwrap = bins.bwrap ?? 'bwrap';
  return [
    { name: 'unshare', needs: 'root (CAP_SYS_ADMIN)', argv: (inner) => [unshare, [...COMMON, '--', ...inner]] },
    { name: 'unshare-userns', needs: 'unprivileged user namespaces', argv: (inner) => [unshare, ['--user', '--map-root-user', ...COMMON, '--', ...inner]] },
    {
      name: 'bwrap',
      needs: 'bubblewrap with user namespaces',
      argv: (inner) => [bwrap, ['--dev-bind', '/', '/', '--unshare-user', '--uid', '0', '--gid', '0', '--cap-add', 'ALL', '--unshare-net', '--unshare-pid', '--die-with-parent', '--proc', '/proc', '--', ...inner]],
    },
  ];
}

export interface MethodAttempt {
  method: MethodName;
  ok: boolean;
  reason: string;
}

/** The sandbox cannot be had here. Exit code 3 in the CLI. */
export class SandboxUnavailableError extends HarnessError {
  constructor(readonly attempts: MethodAttempt[]) {
    super('GDH_SANDBOX', sandboxErrorText(attempts));
  }
}

function resolvedUnshare(): string {
  try {
    const r = execaSync('sh', ['-c', 'command -v unshare'], { reject: false });
    return r.stdout ? realpathSync(r.stdout.trim()) : '/usr/bin/unshare';
  } catch {
    return '/usr/bin/unshare';
  }
}

function readSysctl(path: string): string | null {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8').trim() : null;
  } catch {
    return null;
  }
}

/** The error text: every method with its exact reason, then the fixes, least invasive first. */
export function sandboxErrorText(attempts: MethodAttempt[]): string {
  const lines = ['cannot create a sandbox (private network and mount namespaces); tried, in order:'];
  for (const a of attempts) lines.push(`  - ${a.method}: ${a.reason}`);
  const unshare = resolvedUnshare();
  const restrict = readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns');
  lines.push('fixes, least invasive first:');
  lines.push('  1. run the harness with sudo (the root method needs no user namespaces); it never runs sudo itself');
  lines.push(`  2. allow user namespaces for ${unshare} only, with an AppArmor profile, e.g. /etc/apparmor.d/go-dns-harness-unshare:`);
  lines.push('       abi <abi/4.0>,');
  lines.push('       include <tunables/global>');
  lines.push(`       profile go-dns-harness-unshare ${unshare} flags=(unconfined) {`);
  lines.push('         userns,');
  lines.push('       }');
  lines.push('     then: sudo apparmor_parser -r /etc/apparmor.d/go-dns-harness-unshare');
  lines.push(
    `  3. on Ubuntu 24.04 and later: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0${restrict !== null ? ` (now ${restrict})` : ''}; ` +
      'this lifts the restriction for every program on the machine, which widens the kernel attack surface, so prefer 1 or 2',
  );
  return lines.join('\n');
}
