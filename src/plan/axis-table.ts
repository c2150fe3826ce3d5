/** The shipped axes, in cell-id order: each one entry of the table src/plan/axes.ts reads. */
import { z } from 'zod';
import { oneOrMany } from '../dns/options-schema.js';
import { UsageError } from '../errors.js';
import type { NetdnsMode } from '../go/godebug.js';
import { DEFAULT_GO_MOD_GO } from '../go/probe-build.js';
import { compareVersions } from '../provision/musl.js';
import { HOST_PLATFORM, PLATFORMS } from '../provision/platform.js';
import { usesPlatformDefaults } from '../scenario/platform-default.js';
import { STUB_MODES, stubModesFor, type StubMode } from '../resolved/spec.js';
import { NETDNS_MODES, type CellAxes } from '../results/model.js';
import { CellIdError, type Axis } from './axis.js';

const split = (vals: string[]): string[] => vals.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
const list = (point: string): string[] => (point === 'none' || point === '' ? [] : point.split(',').map((s) => s.trim()).filter(Boolean));

/** An axis whose points are a fixed set of words. */
function oneOf(flag: string, words: readonly string[], describe: string): (values: string[]) => string[] {
  return (values) => {
    const out = split(values);
    for (const v of out) if (!words.includes(v)) throw new UsageError(`--${flag}: "${v}" is not ${describe}`);
    return out;
  };
}

/** Whether a cell's C library (none for CGO_ENABLED=0) is what `when.libc` names. */
export function libcMatches(want: string, axes: CellAxes): boolean {
  if (axes.cgo !== '1') return false;
  const have = axes.libc ?? 'glibc';
  if (want === 'glibc' || want === 'musl') return want === 'glibc' ? have === 'glibc' : have.startsWith('musl-');
  const range = /^musl(<=|>=|<|>)(\d+\.\d+\.\d+)$/.exec(want);
  if (!range) return have === want;
  if (!have.startsWith('musl-')) return false;
  const d = compareVersions(have.slice(5), range[2] as string);
  switch (range[1]) {
    case '<': return d < 0;
    case '<=': return d <= 0;
    case '>': return d > 0;
    default: return d >= 0;
  }
}

/** A GODEBUG or tags axis: each point one comma-separated set, `when` naming one member or none. */
function setAxis<K extends 'godebug' | 'tags'>(key: K, flag: string, help: string, label: (member: string) => string, phrase: (member: string) => string) {
  return {
    key,
    flag,
    help,
    idKey: flag,
    defaults: ['none'],
    // A value is one axis point (it may hold several settings, comma-separated).
    parseFlag: (values) => values.map((v) => v.trim()).filter(Boolean),
    pointsFor: ({ scenario, asked }) => [...new Set([...asked, ...(scenario.axes[key] ?? [])])],
    get: (a) => a[key].join(',') || 'none',
    set: (a, p) => void (a[key] = list(p)),
    plain: 'none',
    fromId: (raw) => list(raw).join(',') || 'none',
    label: (p) => (p === 'none' ? undefined : list(p).map(label).join(' ')),
    phrase: (p) => (p === 'none' ? undefined : list(p).map(phrase).join(', ')),
    when: {
      schema: z.string(),
      matches: (want: string, a: CellAxes) => (want === 'none' ? a[key].length === 0 : a[key].includes(want)),
      selector: (a: CellAxes) => a[key][0] ?? 'none',
    },
  } satisfies Axis;
}

/** The go.mod `go` line the probe is built with when nothing else is asked. */
export const DEFAULT_GO_MOD = DEFAULT_GO_MOD_GO;

/** In cell-id order. */
const cgoAxis = {
  key: 'cgo' as const,
  flag: 'cgo',
  help: '0,1: CGO_ENABLED',
  idKey: 'cgo',
  defaults: ['0', '1'],
  parseFlag: oneOf('cgo', ['0', '1'], '0 or 1'),
  get: (a) => a.cgo,
  set: (a, p) => void (a.cgo = p as '0' | '1'),
  fromId: (raw) => {
    if (raw !== '0' && raw !== '1') throw new CellIdError(`cgo=${raw} is not cgo=0|1`);
    return raw;
  },
  label: (p) => `cgo ${p}`,
  phrase: (p) => `CGO_ENABLED=${p}`,
  when: {
    schema: z.union([z.literal(0), z.literal(1), z.enum(['0', '1'])]).transform((v) => String(v) as '0' | '1'),
    matches: (want: '0' | '1', a) => a.cgo === want,
    selector: (a) => a.cgo,
  },
} satisfies Axis;

const netdnsAxis = {
  key: 'netdns' as const,
  flag: 'netdns',
  help: 'default,go,cgo: GODEBUG netdns, the resolver asked for',
  idKey: 'netdns',
  defaults: [...NETDNS_MODES],
  parseFlag: oneOf('netdns', NETDNS_MODES, 'default, go or cgo'),
  get: (a) => a.netdns,
  set: (a, p) => void (a.netdns = p as NetdnsMode),
  fromId: (raw) => {
    if (!(NETDNS_MODES as readonly string[]).includes(raw)) throw new CellIdError(`netdns=${raw} is not netdns=default|go|cgo`);
    return raw;
  },
  label: (p) => `netdns=${p}`,
  phrase: (p) => (p === 'default' ? 'netdns unset' : `GODEBUG=netdns=${p}`),
  when: {
    schema: oneOrMany(z.enum(NETDNS_MODES)),
    matches: (want: NetdnsMode[], a) => want.includes(a.netdns),
    selector: (a) => a.netdns,
    list: true,
  },
} satisfies Axis;

const libcAxis = {
  key: 'libc' as const,
  flag: 'libc',
  help: 'glibc,musl: the C library of CGO_ENABLED=1 builds (musl: every musl fetched; musl-1.2.3: that one)',
  idKey: 'libc',
  defaults: ['glibc'],
  // Which musl installs exist is the cache's business (see libcAxis); the words are checked there.
  parseFlag: (values) => split(values),
  // The libc axis only means something where cgo is in the binary.
  pointsFor: ({ asked, chosen }) => (chosen.cgo === '1' ? asked : ['glibc']),
  get: (a) => a.libc ?? 'glibc',
  set: (a, p) => {
    if (p === 'glibc') delete a.libc;
    else a.libc = p;
  },
  plain: 'glibc',
  fromId: (raw, chosen) => {
    if (!/^musl-\d+\.\d+\.\d+$/.test(raw)) throw new CellIdError(`libc=${raw} is not a musl version like musl-1.2.3 (glibc cells carry no libc part)`);
    if (chosen.cgo !== '1') throw new CellIdError(`libc=${raw} needs cgo=1`);
    return raw;
  },
  label: (p) => (p === 'glibc' ? undefined : p),
  phrase: (p) => (p === 'glibc' ? undefined : `against ${p.replace('-', ' ')}`),
  when: {
    schema: z
      .string()
      .trim()
      .regex(/^(glibc|musl|musl-\d+\.\d+\.\d+|musl(<|<=|>=|>)\d+\.\d+\.\d+)$/, 'glibc, musl, musl-1.2.3, or a musl range like musl<1.2.4'),
    matches: (want: string, a) => libcMatches(want, a),
    selector: (a) => (a.cgo === '1' ? (a.libc ?? 'glibc') : undefined),
    family: (v) => (v.startsWith('musl-') ? 'musl' : undefined),
  },
} satisfies Axis;

const PLATFORM_NAMES = [HOST_PLATFORM, ...PLATFORMS.map((p) => p.name)];

const platformAxis = {
  key: 'platform' as const,
  flag: 'platform',
  help: `host,${PLATFORMS.map((p) => p.name).join(',')},all: the glibc, NSS modules and systemd-resolved cells run on (host: this machine's; a Debian release: fetched from the archive; all: host and every fetched one)`,
  idKey: 'platform',
  defaults: [HOST_PLATFORM],
  // `all` needs the cache to say which are fetched (see platformPoints); names are checked here.
  parseFlag: (values) => {
    const out = split(values);
    for (const v of out) if (v !== 'all' && !PLATFORM_NAMES.includes(v)) throw new UsageError(`--platform: "${v}" is not one of ${[...PLATFORM_NAMES, 'all'].join(', ')}`);
    return out;
  },
  // musl builds are static and bring their own resolver: they run once, on the host. A scenario
  // with platform-default files has no host cells (the host's own /etc is never read).
  pointsFor: ({ scenario, asked, chosen }) => {
    if (chosen.libc && chosen.libc !== 'glibc') return usesPlatformDefaults(scenario.files) ? [] : asked.filter((p) => p === HOST_PLATFORM);
    return usesPlatformDefaults(scenario.files) ? asked.filter((p) => p !== HOST_PLATFORM) : asked;
  },
  get: (a) => a.platform ?? HOST_PLATFORM,
  set: (a, p) => {
    if (p === HOST_PLATFORM) delete a.platform;
    else a.platform = p;
  },
  plain: HOST_PLATFORM,
  fromId: (raw, chosen) => {
    if (!PLATFORM_NAMES.includes(raw) || raw === HOST_PLATFORM) throw new CellIdError(`platform=${raw} is not one of ${PLATFORMS.map((p) => p.name).join(', ')} (host cells carry no platform part)`);
    if (chosen.libc && chosen.libc !== 'glibc') throw new CellIdError(`platform=${raw} does not go with libc=${chosen.libc} (musl cells run on the host only)`);
    return raw;
  },
  label: (p) => (p === HOST_PLATFORM ? undefined : p),
  phrase: (p) => (p === HOST_PLATFORM ? undefined : `on ${p}`),
  when: {
    schema: oneOrMany(z.enum(PLATFORM_NAMES as [string, ...string[]])),
    matches: (want: string[], a) => want.includes(a.platform ?? HOST_PLATFORM),
    selector: (a) => a.platform ?? HOST_PLATFORM,
    list: true,
  },
} satisfies Axis;

const stubAxis = {
  key: 'stub' as const,
  flag: 'stub',
  help: 'real,emulated,passthrough: what stands on 127.0.0.53 in scenarios with a resolved server (default real,emulated)',
  idKey: 'stub',
  defaults: ['real', 'emulated'],
  parseFlag: oneOf('stub', STUB_MODES, `one of ${STUB_MODES.join(', ')}`),
  // Only scenarios with a `resolved` server have a stub axis; '' is "none".
  pointsFor: ({ scenario, asked }) => stubModesFor(scenario.resolved, asked.filter((p) => p !== '') as StubMode[]).map((m) => m ?? ''),
  get: (a) => a.stub ?? '',
  set: (a, p) => {
    if (p === '') delete a.stub;
    else a.stub = p as StubMode;
  },
  plain: '',
  fromId: (raw) => {
    if (!(STUB_MODES as readonly string[]).includes(raw)) throw new CellIdError(`stub=${raw} is not one of ${STUB_MODES.join(', ')}`);
    return raw;
  },
  label: (p) => (p === '' ? undefined : `stub=${p}`),
  phrase: (p) => (p === '' ? undefined : p === 'real' ? 'behind the real systemd-resolved' : `behind the ${p} stub`),
  when: {
    schema: oneOrMany(z.enum(STUB_MODES)),
    matches: (want: StubMode[], a) => a.stub !== undefined && want.includes(a.stub),
    selector: (a) => a.stub,
    list: true,
  },
} satisfies Axis;

const godebugAxis = setAxis('godebug', 'godebug', 'SETTINGS: extra GODEBUG settings, one axis point per flag (e.g. netedns0=0)', (g) => g, (g) => `GODEBUG=${g}`);
const tagsAxis = setAxis('tags', 'tags', 'TAGS: build tags, one axis point per flag (e.g. netgo)', (t) => `tags=${t}`, (t) => `-tags ${t}`);

const goModAxis = {
  key: 'goModGo' as const,
  flag: 'gomod',
  help: `1.18: the probe's go.mod go line (default ${DEFAULT_GO_MOD})`,
  idKey: 'gomod',
  defaults: [DEFAULT_GO_MOD],
  parseFlag: (values) => {
    const out = split(values);
    for (const g of out) if (!/^1\.\d+$/.test(g)) throw new UsageError(`--gomod: "${g}" is not a go line like 1.18`);
    return out;
  },
  pointsFor: ({ scenario, asked }) => [...new Set([...asked, ...(scenario.axes.goModGo ?? [])])],
  get: (a) => a.goModGo,
  set: (a, p) => void (a.goModGo = p),
  plain: DEFAULT_GO_MOD,
  fromId: (raw) => raw,
  label: (p) => (p === DEFAULT_GO_MOD ? undefined : `go.mod ${p}`),
  phrase: (p) => (p === DEFAULT_GO_MOD ? undefined : `a go.mod "go ${p}" line`),
  when: { schema: z.string(), matches: (want: string, a) => a.goModGo === want, selector: (a) => a.goModGo },
} satisfies Axis;

/**
 * A user's program in place of the probe (`run --program PATH`). The flag gives paths; the plan
 * request resolves each to its program (src/go/program.ts), and a cell's point is its name. The
 * probe's go.mod line means nothing to a program, which has its own: only the plain one is taken.
 */
const programAxis = {
  key: 'program' as const,
  flag: 'program',
  help: "PATH: your own Go program in place of the probe: a main package's directory (built per Go, cgo, tags, libc and platform) or a built binary; a dns-expect.yaml beside it judges its cells",
  idKey: 'program',
  defaults: [''],
  // Each flag value is one path (a path may hold a comma).
  parseFlag: (values) => values.map((v) => v.trim()).filter(Boolean),
  pointsFor: ({ asked, chosen }) => (chosen.goModGo !== undefined && chosen.goModGo !== DEFAULT_GO_MOD ? asked.filter((p) => p === '') : asked),
  get: (a) => a.program ?? '',
  set: (a, p) => {
    if (p === '') delete a.program;
    else a.program = p;
  },
  plain: '',
  fromId: (raw) => {
    if (!/^[A-Za-z0-9._-]+$/.test(raw)) throw new CellIdError(`program=${raw} is not a program name (letters, digits, dots, dashes and underscores)`);
    return raw;
  },
  label: (p) => (p === '' ? undefined : `program ${p}`),
  phrase: (p) => (p === '' ? undefined : `running ${p}`),
  when: { schema: z.string().min(1), matches: (want: string, a) => a.program === want, selector: (a) => a.program },
} satisfies Axis;

/** In cell-id order. */
export const AXES = [cgoAxis, netdnsAxis, libcAxis, platformAxis, stubAxis, godebugAxis, tagsAxis, goModAxis, programAxis] as const;
