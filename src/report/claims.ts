import { resultOf } from '../results/expect.js';
import { isPlain } from '../plan/axes.js';
import type { CellResult, RunResult } from '../results/model.js';
import type { CgoEnvResult, GoModDownloadResult } from '../run/experiments.js';
import { HOST_PLATFORM } from '../provision/platform.js';

export interface Experiments {
  cgoEnv: CgoEnvResult[];
  goModDownload: GoModDownloadResult[];
}

export type ClaimVerdict = 'true' | 'false' | 'partly true' | 'not measured';

/**
 * The one rule every claim's verdict comes from: the evidence that bears it out and the evidence
 * against it. All for: true; all against: false; both: partly true; none: not measured. So every
 * claim can come out any way the data says (test/report/claims.ts gives each all four).
 */
export function verdictOf(holds: number, fails: number): ClaimVerdict {
  if (holds > 0 && fails === 0) return 'true';
  if (holds === 0 && fails > 0) return 'false';
  return holds > 0 ? 'partly true' : 'not measured';
}

export const VERDICT_WORDS: Record<ClaimVerdict, string> = { true: 'True', false: 'False', 'partly true': 'Partly true', 'not measured': 'Not measured' };

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
const plain = (c: CellResult): boolean => isPlain(c.axes, ['godebug', 'tags', 'goModGo', 'libc']);
const onPlatform = (c: CellResult): string => c.axes.platform ?? HOST_PLATFORM;
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

/**
 * Whether Go's resolver sent EDNS0, per Go version and go.mod go line, from every cell in which it
 * asked a fake server: the sentence states what the queries showed, not what is believed.
 */
export function ednsFinding(run: RunResult): string {
  const seen = new Map<string, Set<string>>();
  for (const c of run.cells) {
    if (c.axes.stub === 'real' || c.axes.platform || c.axes.godebug.length || !c.lookups.every((l) => l.declaredPath === 'go')) continue;
    const k = `${c.axes.goModGo}|${c.axes.goMinor}`;
    const set = seen.get(k) ?? new Set<string>();
    for (const q of c.queries.flat()) if (!q.malformed) set.add(q.edns ? String(q.edns.udpSize) : 'none');
    seen.set(k, set);
  }
  const parts: string[] = [];
  for (const goMod of [...new Set([...seen.keys()].map((k) => k.split('|')[0] as string))].sort()) {
    const byWhat = new Map<string, number[]>();
    for (const [k, set] of seen) {
      const [g, m] = k.split('|');
      if (g !== goMod || set.size === 0) continue;
      const what = [...set].sort().map((x) => (x === 'none' ? 'no OPT' : `OPT ${x}`)).join(' and ');
      byWhat.set(what, [...(byWhat.get(what) ?? []), Number(m)]);
    }
    const list = [...byWhat].map(([what, ms]) => `${what} in Go ${ms.sort((a, b) => a - b).map((x) => `1.${x}`).join(', ')}`).join('; ');
    if (list) parts.push(`with a go.mod \`go ${goMod}\` line: ${list}`);
  }
  return parts.length ? `What Go's resolver sent, whatever the edns0 option said (every cell of the run in which it asked a fake server): ${parts.join('; ')}.` : '';
}

/**
 * Each claim from the cells of one platform (default the host): the same rules, so a claim can
 * come out differently on another release's glibc and resolved.
 */
export function evaluateClaims(run: RunResult, ex: Experiments, platform = HOST_PLATFORM): Claim[] {
  const of = (scenario: string, f: (c: CellResult) => boolean = () => true) => run.cells.filter((c) => c.axes.scenario === scenario && plain(c) && onPlatform(c) === platform && f(c));
  const claims: Claim[] = [];

  // 1. The default resolver.
  const defaults = of('ubuntu-stub-healthy', (c) => c.axes.cgo === '1' && c.axes.netdns === 'default');
  const defaultsGo = defaults.filter((c) => declared(c) === 'go');
  const defaultsCgo = defaults.filter((c) => declared(c) === 'cgo');
  claims.push({
    claim: 'Go uses the cgo resolver by default on Linux',
    verdict: verdictOf(defaultsCgo.length, defaultsGo.length),
    finding: `With cgo built in (CGO_ENABLED=1), no GODEBUG and the resolv.conf systemd-resolved writes on Ubuntu, Go declared its own resolver in Go ${versions(defaultsGo)} and glibc's in Go ${versions(defaultsCgo)} (where it does not know \`options trust-ad\`, golang/go#51152). Go hands a lookup to glibc only when something in the configuration needs it: an option or nsswitch source it does not know, LOCALDOMAIN/RES_OPTIONS/HOSTALIASES in the environment, a .local name with mdns configured (see the scenarios hostaliases-env, localdomain-env, nsswitch-*, resolv-odd-options).`,
    cells: pick([...defaultsCgo, ...defaultsGo]),
    evidence: [],
  });

  // 2. CGO_ENABLED=0 and the stub.
  const noCgo = of('stub-refused', (c) => c.axes.cgo === '0');
  const reached = noCgo.filter((c) => c.queries.flat().some((q) => q.server.address === '127.0.0.53'));
  claims.push({
    claim: 'CGO_ENABLED=0 bypasses the systemd-resolved stub on 127.0.0.53',
    verdict: verdictOf(noCgo.length - reached.length, reached.length),
    finding: `In ${reached.length} of ${noCgo.length} CGO_ENABLED=0 cells of stub-refused (every Go version, every netdns setting) the queries went to 127.0.0.53, exactly as resolv.conf says: Go's own resolver reads the same /etc/resolv.conf as glibc, so a pure-Go binary meets the same stub, and here gets its REFUSED ("server misbehaving").`,
    cells: pick(noCgo),
    evidence: [],
  });

  // 3. An empty CGO_ENABLED.
  const empty = ex.cgoEnv.filter((r) => r.env === '""');
  claims.push({
    claim: 'CGO_ENABLED set to an empty string disables cgo',
    verdict: verdictOf(empty.filter((r) => r.built === '0').length, empty.filter((r) => r.built !== '0').length),
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
    verdict: verdictOf(resolved.length, forced.length - resolved.length),
    finding: `GODEBUG=netdns=go resolved the name in ${resolved.length} of ${forced.length} cells of stub-refused: Go's resolver asks the same stub and gets the same REFUSED, which it reports as "server misbehaving" (glibc says "Temporary failure in name resolution"). The fix is a nameserver that answers, not another resolver.`,
    cells: pick(forced),
    evidence: [],
  });

  // 5. go mod download.
  const runs = ex.goModDownload;
  const byTc = new Map<string, GoModDownloadResult[]>();
  for (const r of runs) byTc.set(r.toolchain, [...(byTc.get(r.toolchain) ?? []), r]);
  // Per toolchain: CGO_ENABLED=0 fixed it when it got through where CGO_ENABLED=1 did not.
  const fixedBy0 = [...byTc.values()].filter((l) => l.find((r) => r.env === '0')?.exitCode === 0 && l.find((r) => r.env === '1')?.exitCode !== 0);
  const pairs = [...byTc.values()].filter((l) => l.some((r) => r.env === '0') && l.some((r) => r.env === '1'));
  claims.push({
    claim: 'Timeouts in `go mod download` behind systemd-resolved are a cgo DNS problem, fixed by `export CGO_ENABLED=0`',
    verdict: verdictOf(fixedBy0.length, pairs.length - fixedBy0.length),
    finding: `\`go mod download\` ran in the sandbox of the go-mod-download scenario, whose stub drops every query for the GOPROXY host, with CGO_ENABLED=0 and =1. CGO_ENABLED=0 got through where CGO_ENABLED=1 did not with ${fixedBy0.length} of ${pairs.length} toolchains. ${[...byTc.entries()].map(([tc, l]) => `Debian's ${tc} go command is built with CGO_ENABLED=${l[0]?.goCommandCgo} and asked through ${[...new Set(l.map((r) => r.observed.split(' ')[0]))].join('/')} with CGO_ENABLED=${l.map((r) => `${r.env} (exit ${r.exitCode}, ${(r.elapsedMs / 1000).toFixed(1)} s)`).join(' and ')}.`).join(' ')} The variable tells the go command how to build programs; its own lookups go through the resolver it was built with.`,
    cells: [],
    evidence: [
      '| Go | go command built with | CGO_ENABLED in the environment | exit | time | queries | client on the wire | last error line |',
      '|---|---|---|---|---|---|---|---|',
      ...runs.map((r) => `| ${r.toolchain} | CGO_ENABLED=${r.goCommandCgo} | ${r.env} | ${r.exitCode} | ${(r.elapsedMs / 1000).toFixed(1)} s | ${r.queries} | ${r.observed.replace(/\|/g, '\\|')} | ${r.lastError.replace(/\|/g, '\\|').slice(0, 140)} |`),
    ],
  });

  // 6. The stub's resolv.conf options, and each of its two words alone.
  const healthy = of('ubuntu-stub-healthy', (c) => c.axes.cgo === '1' && c.axes.netdns === 'default');
  const switched = healthy.filter((c) => declared(c) === 'cgo');
  const kept = healthy.filter((c) => declared(c) === 'go');
  const alone = (['edns0', 'trust-ad'] as const).map((word) => {
    const cells = of(`resolv-option-${word}`, (c) => c.axes.cgo === '1' && c.axes.netdns === 'default');
    return { word, cells, toGlibc: cells.filter((c) => declared(c) === 'cgo') };
  });
  const words = alone.filter((a) => a.cells.length).map((a) => `\`options ${a.word}\` alone sends Go ${versions(a.toGlibc)} to glibc (resolv-option-${a.word})`);
  claims.push({
    claim: 'The systemd-resolved stub line `options edns0 trust-ad` is harmless to Go programs',
    verdict: verdictOf(kept.length, switched.length),
    finding: `With the resolv.conf systemd-resolved writes, a cgo build with netdns unset kept Go's own resolver in Go ${versions(kept)} and handed its lookups to glibc in Go ${versions(switched)}, so the same program behaves differently on an Ubuntu host there (an option that Go version does not know sends it to glibc: golang/go#51152).${words.length ? ` Line by line: ${words.join('; ')}.` : ''} ${ednsFinding(run)}`,
    cells: pick([...healthy, ...alone.flatMap((a) => a.toGlibc)].sort((a, b) => minor(a) - minor(b)), 8),
    evidence: [],
  });
  return claims;
}

export interface PlatformClaims {
  platform: string;
  /** In the order of the host's claims. */
  claims: Claim[];
}

/** The claims settled on each platform of the run (other than the host), experiments left to the host. */
export function claimsByPlatform(run: RunResult): PlatformClaims[] {
  const names = [...new Set(run.cells.flatMap((c) => (c.axes.platform ? [c.axes.platform] : [])))].sort();
  return names.map((platform) => ({ platform, claims: evaluateClaims(run, { cgoEnv: [], goModDownload: [] }, platform) }));
}

/** `identity`: the line naming the run the cells come from (scripts/generated-block.mjs). */
export function renderClaims(run: RunResult, claims: Claim[], identity = `Run ${run.meta.startedAt} on ${run.meta.host.distro} (${run.meta.host.glibc}).`, byPlatform: PlatformClaims[] = []): string {
  const out = [
    '# Claims about Go DNS on Ubuntu, settled',
    '',
    `Generated by \`npm run docs\` from the cells of one run and from experiments run at generation time; do not edit by hand. Every cell can be re-run with its repro command. ${identity}`,
    '',
  ];
  if (byPlatform.length) {
    out.push('## On every platform', '', `Each claim settled again from the cells of each platform (\`--platform\`: another Debian release's glibc, NSS modules and systemd-resolved) by the same rules; the sections below give the host's evidence. Claims settled by experiments with the go command ran on the host only.`, '');
    out.push(`| claim | host | ${byPlatform.map((p) => p.platform).join(' | ')} |`, `|---|---|${byPlatform.map(() => '---').join('|')}|`);
    claims.forEach((c, i) => {
      const there = byPlatform.map((p) => p.claims[i]);
      const experiment = c.cells.length === 0 && c.evidence.length > 0;
      const cells = there.map((x) => (experiment ? 'host only' : x ? VERDICT_WORDS[x.verdict] : ''));
      const differs = !experiment && there.some((x) => x && x.verdict !== c.verdict);
      out.push(`| ${c.claim.replace(/\|/g, '\\|')}${differs ? ' (differs by platform)' : ''} | ${VERDICT_WORDS[c.verdict]} | ${cells.join(' | ')} |`);
    });
    out.push('');
    claims.forEach((c, i) => {
      const differing = byPlatform.filter((p) => p.claims[i] && p.claims[i]?.verdict !== c.verdict && !(c.cells.length === 0 && c.evidence.length > 0));
      for (const p of differing) out.push(`- "${c.claim}" on ${p.platform}: **${VERDICT_WORDS[p.claims[i]!.verdict]}.** ${p.claims[i]!.finding}`);
      if (differing.length) out.push('');
    });
  }
  for (const c of claims) {
    out.push(`## "${c.claim}"`, '', `**${VERDICT_WORDS[c.verdict]}.** ${c.finding}`, '');
    if (c.evidence.length) out.push(...c.evidence, '');
    if (c.cells.length) {
      out.push('| cell | outcome | declared path | wire | repro |', '|---|---|---|---|---|');
      for (const cell of c.cells) {
        const outcome = cell.lookups.map((l) => (l.ok ? `ok ${(l.addrs ?? []).join(' ')}` : `${resultOf(l)}: ${(l.error ?? '').replace(/\|/g, '\\|')}`)).join('; ');
        out.push(`| \`${cell.id}\` | ${outcome} | ${declared(cell)} | ${cell.observed.path} | \`${cell.repro}\` |`);
      }
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}
