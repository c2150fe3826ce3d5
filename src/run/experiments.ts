import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { observePath } from '../observe/fingerprint.js';
import { goEnv, ProbeBuildError, type Toolchain } from '../go/toolchains.js';
import { packageRoot } from '../paths.js';
import { sandboxFor } from './sandbox-for.js';
import type { Scenario } from '../scenario/schema.js';

/** What a build reads CGO_ENABLED as, by the value in the environment ("unset" for none). */
export interface CgoEnvResult {
  toolchain: string;
  /** CGO_ENABLED in the build's environment: "unset", "" or a value. */
  env: string;
  /** CGO_ENABLED as recorded in the binary's build settings (`go version -m`). */
  built: string;
}

/**
 * Builds the Go probe with CGO_ENABLED unset, empty, 0 and 1, and reads back what the binary's
 * build information says: the settled answer to "an empty CGO_ENABLED disables cgo".
 */
export async function cgoEnabledFromEnv(tc: Toolchain): Promise<CgoEnvResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gdh-cgoenv-'));
  const src = join(packageRoot(), 'go-probe');
  try {
    const out: CgoEnvResult[] = [];
    for (const value of [undefined, '', '0', '1']) {
      const env = goEnv(tc);
      delete env.CGO_ENABLED;
      if (value !== undefined) env.CGO_ENABLED = value;
      const bin = join(dir, `bin-${value ?? 'unset'}`);
      const b = await execa(tc.go, ['build', '-o', bin, '.'], { cwd: src, env, extendEnv: false, reject: false, timeout: 300_000 });
      if (b.exitCode !== 0) throw new ProbeBuildError(`go build with ${tc.version} and CGO_ENABLED=${JSON.stringify(value)} failed`, { detail: b.stderr.trim() });
      const v = await execa(tc.go, ['version', '-m', bin], { env, extendEnv: false });
      out.push({ toolchain: tc.version, env: value === undefined ? 'unset' : JSON.stringify(value), built: /\bCGO_ENABLED=(\S*)/.exec(v.stdout)?.[1] ?? '(not recorded)' });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface GoModDownloadResult {
  toolchain: string;
  /** How the toolchain's own go command was built. */
  goCommandCgo: string;
  /** CGO_ENABLED in the environment of `go mod download`. */
  env: string;
  exitCode: number | null;
  elapsedMs: number;
  lastError: string;
  queries: number;
  observed: string;
}

/**
 * Runs `go mod download` itself in the sandbox of the go-mod-download scenario, whose stub drops
 * every query for proxy.example.test, with GOPROXY at that name, once per CGO_ENABLED value in the
 * environment. What the go command's
 * resolver does depends on how the go command was built, not on that variable, which only
 * affects what it builds; the queries on the wire show which client asked.
 */
export async function goModDownload(tc: Toolchain, scenario: Scenario, envValues: string[] = ['0', '1']): Promise<GoModDownloadResult[]> {
  const version = await execa(tc.go, ['version', '-m', tc.go], { reject: false });
  const goCommandCgo = /\bCGO_ENABLED=(\S*)/.exec(version.stdout)?.[1] ?? '(not recorded)';
  const home = mkdtempSync(join(tmpdir(), 'gdh-gomod-'));
  const sb = await sandboxFor(scenario);
  try {
    const out: GoModDownloadResult[] = [];
    for (const value of envValues) {
      const env = {
        PATH: `${join(tc.goroot, 'bin')}:/usr/bin:/bin`,
        HOME: home,
        GOROOT: tc.goroot,
        GOPATH: join(home, 'gopath'),
        GOMODCACHE: join(home, 'modcache'),
        GOCACHE: join(home, 'gocache'),
        GOPROXY: 'http://proxy.example.test',
        GOSUMDB: 'off',
        GOTOOLCHAIN: 'local',
        GOFLAGS: '-modcacherw',
        CGO_ENABLED: value,
      };
      const r = await sb.run(tc.go, ['mod', 'download', 'example.test/mod@v1.0.0'], { env, timeoutMs: 60_000, cwd: home });
      const q = r.queries.flat();
      const obs = observePath(q);
      out.push({
        toolchain: tc.version,
        goCommandCgo,
        env: value,
        exitCode: r.exitCode,
        elapsedMs: Math.round(r.elapsedMs),
        lastError: r.stderr.trim().split('\n').at(-1) ?? '',
        queries: q.length,
        observed: `${obs.path} (${obs.evidence.join('; ')})`,
      });
    }
    return out;
  } finally {
    await sb.close();
    rmSync(home, { recursive: true, force: true });
  }
}
