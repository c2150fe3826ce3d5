import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { HarnessError } from '../errors.js';
import { resolvedConfText, stubListenerOn, stubStandIn, upstreamsOf, type StubMode } from '../resolved/spec.js';
import { resolvedForRun, type ResolvedInstall } from '../provision/resolved.js';
import { platformResolvedInstall, type PlatformInstall } from '../provision/platform.js';
import { platformDefaults } from '../provision/platform-defaults.js';
import { filesOnPlatform, usesPlatformDefaults } from '../scenario/platform-default.js';
import type { SandboxMethod } from '../sandbox/methods.js';
import { Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import type { Scenario } from '../scenario/schema.js';

/** A cell needs the real systemd-resolved, and there is none to run. */
export class ResolvedUnavailableError extends HarnessError {
  constructor(reason: string) {
    super('GDH_RESOLVED', `the real systemd-resolved is not available: ${reason}`);
  }
}

/**
 * The account systemd-resolved drops privileges to. It is mapped to uid 0 on purpose: inside a
 * user namespace only uid 0 exists, and which uid the daemon runs as does not change what it
 * sends or answers.
 */
function withUser(file: string, line: string, given: string | null | undefined): string {
  const text = given ?? (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const kept = text.split('\n').filter((l) => l !== '' && !l.startsWith('systemd-resolve:'));
  return `${[...kept, line].join('\n')}\n`;
}

/**
 * How to open the sandbox for a scenario's cells with this stub mode: the scenario's files and
 * servers, plus, for the real stub, systemd-resolved with its account, configuration and (nss)
 * libnss_resolve; for the stand-ins, a fake server on 127.0.0.53 and 127.0.0.54 in front.
 */
export function sandboxSetup(s: Scenario, stub: StubMode | undefined, install?: ResolvedInstall | { unavailable: string }): Pick<SandboxOptions, 'files' | 'servers' | 'binds' | 'resolved'> {
  const r = s.resolved;
  if (!r || !stub) return { files: s.files, servers: s.servers };
  if (stub !== 'real') return { files: s.files, servers: [stubStandIn(r, s.servers, stub), ...s.servers] };
  if (!install || 'unavailable' in install) throw new ResolvedUnavailableError(install?.unavailable ?? 'not provisioned; run: go-dns-harness resolved fetch');
  const files: Record<string, string | null> = {
    ...s.files,
    '/etc/passwd': withUser('/etc/passwd', 'systemd-resolve:x:0:0:systemd Resolver:/:/usr/sbin/nologin', s.files['/etc/passwd'] ?? s.files.passwd),
    '/etc/group': withUser('/etc/group', 'systemd-resolve:x:0:', s.files['/etc/group'] ?? s.files.group),
  };
  delete files.passwd;
  delete files.group;
  // The host's own resolved.conf (if it has one) must not leak in: the drop-in sets only some options.
  if (existsSync('/etc/systemd/resolved.conf') && !('/etc/systemd/resolved.conf' in files)) files['/etc/systemd/resolved.conf'] = '';
  return {
    files,
    servers: s.servers,
    // A platform's probes load their NSS modules from the platform (their RPATH); the host's need a bind.
    binds: r.nss && !install.loader ? [{ target: `/${relative(install.root, install.nssResolve)}`, source: install.nssResolve }] : [],
    resolved: { binary: install.binary, libDir: install.libDir, ...(install.loader ? { loader: install.loader } : {}), version: install.version, conf: resolvedConfText(r, upstreamsOf(s.servers)), stubListener: stubListenerOn(r) },
  };
}

/** A scenario's files takes its `platform-default` files from, or why it cannot run. */
export class PlatformDefaultsError extends HarnessError {
  constructor(message: string) {
    super('GDH_PLATFORM', message);
  }
}

/** The scenario with its `platform-default` files as the platform installs them. */
export function onPlatform(s: Scenario, platform: PlatformInstall | undefined): Scenario {
  if (!usesPlatformDefaults(s.files)) return s;
  if (!platform) throw new PlatformDefaultsError(`${s.source}: its files are platform-default, which only a platform has; run it with --platform debian-12 (or another fetched platform), not on the host`);
  const d = platformDefaults(platform);
  if ('problem' in d) throw new PlatformDefaultsError(d.problem);
  return { ...s, files: filesOnPlatform(s.files, d) };
}

export interface SandboxForOptions {
  /** Scenarios with a resolved server: what stands on 127.0.0.53 (default the real systemd-resolved). */
  stub?: StubMode;
  /** The real stub's install, when the caller has provisioned it once for many sandboxes. */
  install?: ResolvedInstall | { unavailable: string };
  /** Whether the real stub may be fetched when it is not in the cache (default yes). */
  fetch?: boolean;
  log?: (s: string) => void;
  method?: SandboxMethod;
  /** The platform the cells run on: its own systemd-resolved is the real stub. */
  platform?: PlatformInstall;
}

/**
 * Opens the sandbox for a scenario's cells: the one way run, repro, exec and the claims
 * experiments get one, so what a cell sees does not depend on which command ran it. Throws
 * ResolvedUnavailableError where the real stub is asked for and cannot be had.
 */
export async function sandboxFor(given: Scenario, o: SandboxForOptions = {}): Promise<Sandbox> {
  const s = onPlatform(given, o.platform);
  const stub = s.resolved ? (o.stub ?? 'real') : undefined;
  const install = stub === 'real' ? (o.install ?? (o.platform ? platformResolvedInstall(o.platform) : await resolvedForRun(o.fetch ?? true, o.log))) : undefined;
  return Sandbox.open({ ...sandboxSetup(s, stub, install), ...(o.method ? { method: o.method } : {}) });
}
