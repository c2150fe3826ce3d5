import { lookupOutcome } from '../results/diff.js';
import type { CellResult, RunResult } from '../results/model.js';
import type { CgoEnvResult, GoModDownloadResult } from './experiments.js';

export interface Experiments {
  cgoEnv: CgoEnvResult[];
  goModDownload: GoModDownloadResult[];
}

export type ClaimVerdict = 'true' | 'false' | 'partly true';

export interface Claim {
  claim: string;
  verdict: ClaimVerdict;
  /** Why, from the cells and experiments below. */
  finding: string;
  /** Representative cells, each with its repro command. */
  cells: CellResult[];
  /** Extra evidence rows (experiments), already in Markdown. */
  evidence: string[];
}

const minor = (c: CellResult): number => c.axes.goMinor;
const plain = (c: CellResult): boolean => c.axes.godebug.length === 0 && c.axes.tags.length === 0 && c.axes.goModGo === '1.19' && !c.axes.libc;
const declared = (c: CellResult): string => [...new Set(c.lookups.map((l) => l.declaredPath))].join(',');
const pick = (cells: CellResult[], n = 6): CellResult[] => {
  // One cell per Go version first, so the table spans the versions.
  const seen = new Set<string>();
  const first = cells.filter((c) => !seen.has(c.axes.go) && seen.add(c.axes.go));
  return [...first, ...cells.filter((c) => !first.includes(c))].slice(0, n);
};
const versions = (cells: CellResult[]): string => {
  const v = [...new Set(cells.map((c) => c.axes.go.replace(/^go(\d+\.\d+).*/, '$1')))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return v.length ? v.join(', ') : 'none';
};

export function evaluateClaims(run: RunResult, ex: Experiments): Claim[] {
  const of = (scenario: string, f: (c: CellResult) => boolean = () => true) => run.cells.filter((c) => c.axes.scenario === scenario && plain(c) && f(c));
  const claims: Claim[] = [];

  // 1. The default resolver.
  const defaults = of('ubuntu-stub-healthy', (c) => c.axes.cgo === '1' && c.axes.netdns === 'default');
  const defaultsGo = defaults.filter((c) => declared(c) === 'go');
  const defaultsCgo = defaults.filter((c) => declared(c) === 'cgo');
  claims.push({
    claim: 'Go uses the cgo resolver by default on Linux',
    verdict: defaultsGo.length > 0 && defaultsCgo.length === 0 ? 'false' : defaultsGo.length > 0 ? 'partly true' : 'true',
    finding: `With cgo built in (CGO_ENABLED=1), no GODEBUG and the resolv.conf systemd-resolved writes on Ubuntu, Go declared its own resolver in Go ${versions(defaultsGo)} and glibc's in Go ${versions(defaultsCgo)} (where it does not know \`options trust-ad\`, golang/go#51152). Go hands a lookup to glibc only when something in the configuration needs it: an option or nsswitch source it does not know, LOCALDOMAIN/RES_OPTIONS/HOSTALIASES in the environment, a .local name with mdns configured (see the scenarios hostaliases-env, localdomain-env, nsswitch-*, resolv-odd-options).`,
    cells: pick([...defaultsCgo, ...defaultsGo]),
    evidence: [],
  });

  // 2. CGO_ENABLED=0 and the stub.
  const noCgo = of('stub-refused', (c) => c.axes.cgo === '0');
  const reached = noCgo.filter((c) => c.queries.flat().some((q) => q.server.address === '127.0.0.53'));
  claims.push({
    claim: 'CGO_ENABLED=0 bypasses the systemd-resolved stub on 127.0.0.53',
    verdict: reached.length === noCgo.length && noCgo.length > 0 ? 'false' : 'partly true',
    finding: `In ${reached.length} of ${noCgo.length} CGO_ENABLED=0 cells of stub-refused (every Go version, every netdns setting) the queries went to 127.0.0.53, exactly as resolv.conf says: Go's own resolver reads the same /etc/resolv.conf as glibc, so a pure-Go binary meets the same stub, and here gets its REFUSED ("server misbehaving").`,
    cells: pick(noCgo),
    evidence: [],
  });

  // 3. An empty CGO_ENABLED.
  const empty = ex.cgoEnv.filter((r) => r.env === '""');
  claims.push({
    claim: 'CGO_ENABLED set to an empty string disables cgo',
    verdict: empty.length > 0 && empty.every((r) => r.built === '1') ? 'false' : empty.every((r) => r.built === '0') ? 'true' : 'partly true',
    finding: `The Go probe built with \`CGO_ENABLED=\` (empty) records, in its build information, CGO_ENABLED=${[...new Set(empty.map((r) => r.built))].join('/')}: an empty value counts as unset, and unset means cgo on when a C compiler is there. Only CGO_ENABLED=0 turns it off.`,
    cells: [],
    evidence: [
      '| Go | CGO_ENABLED in the build environment | CGO_ENABLED in the probe binary (`go version -m`) |',
      '|---|---|---|',
      ...ex.cgoEnv.map((r) => `| ${r.toolchain} | ${r.env} | ${r.built} |`),
    ],
  });

  // 4. netdns=go against a refusing stub.
  const forced = of('stub-refused', (c) => c.axes.netdns === 'go');
  const resolved = forced.filter((c) => c.lookups.every((l) => l.ok));
  claims.push({
    claim: 'With the stub refusing in containers, netdns=go fixes resolution',
    verdict: resolved.length === 0 && forced.length > 0 ? 'false' : resolved.length === forced.length ? 'true' : 'partly true',
    finding: `GODEBUG=netdns=go resolved the name in ${resolved.length} of ${forced.length} cells of stub-refused: Go's resolver asks the same stub and gets the same REFUSED, which it reports as "server misbehaving" (glibc says "Temporary failure in name resolution"). The fix is a nameserver that answers, not another resolver.`,
    cells: pick(forced),
    evidence: [],
  });

  // 5. go mod download.
  const runs = ex.goModDownload;
  const byTc = new Map<string, GoModDownloadResult[]>();
  for (const r of runs) byTc.set(r.toolchain, [...(byTc.get(r.toolchain) ?? []), r]);
  const same = [...byTc.values()].every((list) => new Set(list.map((r) => `${r.observed.split(' ')[0]}|${Math.round(r.elapsedMs / 500)}|${r.queries}`)).size === 1);
  claims.push({
    claim: 'Timeouts in `go mod download` behind systemd-resolved are a cgo DNS problem, fixed by `export CGO_ENABLED=0`',
    verdict: runs.length > 0 && same ? 'false' : 'partly true',
    finding: `\`go mod download\` ran in the sandbox of the go-mod-download scenario, whose stub drops every query for the GOPROXY host. For each toolchain the go command asked the same way, for as long, whatever CGO_ENABLED said: the variable only tells the go command how to build programs; its own resolver is the one it was built with. ${[...byTc.entries()].map(([tc, l]) => `Debian's ${tc} go command is built with CGO_ENABLED=${l[0]?.goCommandCgo} and asked through ${[...new Set(l.map((r) => r.observed.split(' ')[0]))].join('/')} with CGO_ENABLED=${l.map((r) => r.env).join(' and ')}.`).join(' ')} The timeouts come from the stub and stay with either setting.`,
    cells: [],
    evidence: [
      '| Go | go command built with | CGO_ENABLED in the environment | exit | time | queries | client on the wire | last error line |',
      '|---|---|---|---|---|---|---|---|',
      ...runs.map((r) => `| ${r.toolchain} | CGO_ENABLED=${r.goCommandCgo} | ${r.env} | ${r.exitCode} | ${(r.elapsedMs / 1000).toFixed(1)} s | ${r.queries} | ${r.observed.replace(/\|/g, '\\|')} | ${r.lastError.replace(/\|/g, '\\|').slice(0, 140)} |`),
    ],
  });

  // 6. The stub's resolv.conf options.
  const healthy = of('ubuntu-stub-healthy', (c) => c.axes.cgo === '1' && c.axes.netdns === 'default');
  const switched = healthy.filter((c) => declared(c) === 'cgo');
  claims.push({
    claim: 'The systemd-resolved stub line `options edns0 trust-ad` is harmless to Go programs',
    verdict: switched.length === 0 ? 'true' : 'partly true',
    finding: `From Go 1.21 (Debian ships no 1.20) Go's resolver knows both options: edns0 changes nothing (Go sends EDNS0 anyway) and trust-ad sets the AD bit. In Go ${versions(switched)} an unknown \`trust-ad\` sends every lookup of a cgo build to glibc (golang/go#51152), so the same binary behaves differently on an Ubuntu host; and every Go version sends EDNS0 (1232) regardless of the line, which EDNS-intolerant middleboxes punish (see edns-dropped, edns-formerr, opt-in-answer).`,
    cells: pick(healthy.sort((a, b) => minor(a) - minor(b))),
    evidence: [],
  });
  return claims;
}

/** `identity`: the line naming the run the cells come from (scripts/generated-block.mjs). */
export function renderClaims(run: RunResult, claims: Claim[], identity = `Run ${run.meta.startedAt} on ${run.meta.host.distro} (${run.meta.host.glibc}).`): string {
  const out = [
    '# Claims about Go DNS on Ubuntu, settled',
    '',
    `Generated by \`npm run docs\` from the cells of one run and from experiments run at generation time; do not edit by hand. Every cell can be re-run with its repro command. ${identity}`,
    '',
  ];
  for (const c of claims) {
    out.push(`## "${c.claim}"`, '', `**${c.verdict === 'false' ? 'False' : c.verdict === 'true' ? 'True' : 'Partly true'}.** ${c.finding}`, '');
    if (c.evidence.length) out.push(...c.evidence, '');
    if (c.cells.length) {
      out.push('| cell | outcome | declared path | wire | repro |', '|---|---|---|---|---|');
      for (const cell of c.cells) {
        const outcome = cell.lookups.map((l) => (l.ok ? `ok ${(l.addrs ?? []).join(' ')}` : `${lookupOutcome(l)}: ${(l.error ?? '').replace(/\|/g, '\\|')}`)).join('; ');
        out.push(`| \`${cell.id}\` | ${outcome} | ${declared(cell)} | ${cell.observed.path} | \`${cell.repro}\` |`);
      }
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}
