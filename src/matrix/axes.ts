/**
 * The matrix vocabulary, declared once: every build or environment setting a cell varies (besides
 * the scenario and the Go toolchain), with its values, default, command-line flag, place in the
 * cell id, `when` selector and label. The planner, the CLI, the id parser, the scenario schema,
 * the expectation matcher, suggest, lint and the reports all read this table, so adding an axis
 * is one entry here (and its tests).
 *
 * Each axis is handled through its "point": the value one cell has on it, as a string ('1',
 * 'cgo', 'netedns0=0', 'none', 'musl-1.2.3', 'real'). A cell keeps its typed fields (CellAxes);
 * `get` and `set` translate.
 */
import { z } from 'zod';
import { oneOrMany } from '../dns/options-schema.js';
import { HarnessError, UsageError } from '../errors.js';
import type { NetdnsMode } from '../go/godebug.js';
import { DEFAULT_GO_MOD_GO } from '../go/probe-build.js';
import { compareVersions } from '../libc/musl.js';
import { STUB_MODES, stubModesFor, type ResolvedServer, type StubMode } from '../resolved/spec.js';
import type { CellAxes } from '../results/model.js';

/** A cell id part that is not one: parseCellId says which id it was in. */
export class CellIdError extends HarnessError {
  constructor(message: string) {
    super('GDH_PLAN', message);
  }
}

/**
 * What of a scenario an axis may look at (its own shape, not the Scenario type: the scenario
 * schema is built from this table).
 */
export interface ScenarioView {
  resolved?: ResolvedServer | undefined;
  /** Axis points the scenario adds for itself (e.g. godebug: [netedns0=0]). */
  axes: { godebug?: string[] | undefined; tags?: string[] | undefined; goModGo?: string[] | undefined };
}

/** What an axis may look at to decide which points a cell can take. */
export interface PointsContext {
  scenario: ScenarioView;
  /** The points asked for on the command line (or the defaults). */
  asked: string[];
  /** The points of the axes before this one, for this cell. */
  chosen: Record<string, string>;
}

export interface Axis {
  /** Its field in CellAxes and its key in a scenario's `when`. */
  key: string;
  /** The `run` / `list` flag, without the dashes. */
  flag: string;
  /** For `--help`: the values the flag takes, and what they mean. */
  help: string;
  /** Its key in a cell id (`cgo=1`). */
  idKey: string;
  /** The points a run takes when the flag is not given. */
  defaults: readonly string[];
  /** Flag values (each may hold several, comma-separated) as points; a UsageError names the flag and value. */
  parseFlag(values: string[]): string[];
  /** The points one cell of this scenario can take (default: every point asked for). */
  pointsFor?(ctx: PointsContext): string[];
  get(a: CellAxes): string;
  set(a: CellAxes, point: string): void;
  /**
   * The point a cell id leaves out (it is what an id without this axis's part means); an axis
   * without one is written into every id and required there.
   */
  plain?: string;
  /** An id part's value as a point; throws a message (without the id) when it is not one. */
  fromId(raw: string, chosen: Record<string, string>): string;
  /** The setting as a table names it (`go.mod 1.18`); undefined for the plain point. */
  label(point: string): string | undefined;
  /** The setting as a sentence names it (`a go.mod "go 1.18" line`); undefined for the plain point. */
  phrase(point: string): string | undefined;
  /**
   * The `when` field that selects cells by this axis, whether a value of it holds for a cell, the
   * one value that selects a given cell (undefined where the axis does not apply to it, as libc
   * to a CGO_ENABLED=0 cell), whether the field takes a list, and a wider value that selects a
   * family of them (musl-1.2.3 -> musl).
   */
  when: {
    schema: z.ZodType;
    matches(want: never, a: CellAxes): boolean;
    selector(a: CellAxes): string | undefined;
    list?: boolean;
    family?(value: string): string | undefined;
  };
}

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
  defaults: ['default', 'go', 'cgo'],
  parseFlag: oneOf('netdns', ['default', 'go', 'cgo'], 'default, go or cgo'),
  get: (a) => a.netdns,
  set: (a, p) => void (a.netdns = p as NetdnsMode),
  fromId: (raw) => {
    if (!['default', 'go', 'cgo'].includes(raw)) throw new CellIdError(`netdns=${raw} is not netdns=default|go|cgo`);
    return raw;
  },
  label: (p) => `netdns=${p}`,
  phrase: (p) => (p === 'default' ? 'netdns unset' : `GODEBUG=netdns=${p}`),
  when: {
    schema: oneOrMany(z.enum(['default', 'go', 'cgo'])),
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

/** In cell-id order. */
export const AXES = [cgoAxis, netdnsAxis, libcAxis, stubAxis, godebugAxis, tagsAxis, goModAxis] as const;

const registry: Axis[] = [...AXES];

/** Every axis the planner, ids, flags, `when` matching and labels know: the shipped ones and any registered. */
export const allAxes = (): readonly Axis[] => registry;

/**
 * Adds an axis after the shipped ones (a test's throwaway axis, an extension's); returns the
 * function that removes it again. The scenario schema's `when` knows the shipped axes only.
 */
export function registerAxis(x: Axis): () => void {
  if (registry.some((y) => y.key === x.key || y.flag === x.flag || y.idKey === x.idKey)) throw new HarnessError('GDH_INTERNAL', `an axis named ${x.key} (--${x.flag}, ${x.idKey}=) is already registered`);
  registry.push(x);
  return () => {
    const i = registry.indexOf(x);
    if (i >= 0) registry.splice(i, 1);
  };
}

/** The `when` fields of the shipped axes, typed. */
export type AxisWhenShape = { [A in (typeof AXES)[number] as A['key']]: z.ZodOptional<A['when']['schema']> };

/** The points each axis takes in a run: what the flags asked for, the defaults elsewhere. */
export type AxisPoints = Record<string, string[]>;

export function defaultPoints(axes: readonly Axis[] = registry): AxisPoints {
  return Object.fromEntries(axes.map((x) => [x.key, [...x.defaults]]));
}

/** Flag values (by flag name) as points, each axis's defaults where its flag was not given. */
export function pointsFromFlags(flags: Record<string, string[] | undefined>, axes: readonly Axis[] = registry): AxisPoints {
  return Object.fromEntries(
    axes.map((x) => {
      const given = x.parseFlag(flags[x.flag] ?? []);
      return [x.key, given.length ? given : [...x.defaults]];
    }),
  );
}

/** Every combination of points one cell of `scenario` can take, as partial CellAxes fields. */
export function cellPoints(scenario: ScenarioView, asked: AxisPoints, axes: readonly Axis[] = registry): Array<Record<string, string>> {
  let combos: Array<Record<string, string>> = [{}];
  for (const x of axes) {
    combos = combos.flatMap((chosen) => {
      const points = x.pointsFor ? x.pointsFor({ scenario, asked: asked[x.key] ?? [...x.defaults], chosen }) : (asked[x.key] ?? [...x.defaults]);
      return points.map((p) => ({ ...chosen, [x.key]: p }));
    });
  }
  return combos;
}

/** Sets each axis's point on a cell's axes. */
export function applyPoints(a: CellAxes, points: Record<string, string>, axes: readonly Axis[] = registry): CellAxes {
  for (const x of axes) if (points[x.key] !== undefined) x.set(a, points[x.key] as string);
  return a;
}

/** The id parts after the scenario and Go version: every axis whose point is not its plain one. */
export function idParts(a: CellAxes, axes: readonly Axis[] = registry): string[] {
  return axes.flatMap((x) => {
    const p = x.get(a);
    return x.plain !== undefined && p === x.plain ? [] : [`${x.idKey}=${p}`];
  });
}

/** The points an id's parts name, each checked; a part no axis knows is an error too. */
export function pointsFromId(parts: string[], axes: readonly Axis[] = registry): Record<string, string> {
  const kv = new Map(parts.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const known = new Set(axes.map((x) => x.idKey));
  for (const k of kv.keys()) if (!known.has(k)) throw new CellIdError(`"${k}" is not a part of a cell id (${[...known].join(', ')})`);
  const chosen: Record<string, string> = {};
  for (const x of axes) {
    const raw = kv.get(x.idKey);
    if (raw !== undefined) chosen[x.key] = x.fromId(raw, chosen);
    else if (x.plain !== undefined) chosen[x.key] = x.plain;
    else throw new CellIdError(`${x.idKey}=… is required`);
  }
  return chosen;
}

/** The axes `keys` names, in that order (every axis, in the table's order, without keys). */
const pick = (axes: readonly Axis[], keys?: readonly string[]): Axis[] => (keys ? keys.flatMap((k) => axes.filter((x) => x.key === k)) : [...axes]);

/** A cell's settings as a table names them, plain ones left out: `musl-1.2.3`, `stub=real`, `go.mod 1.18`. */
export function settingsLabels(a: CellAxes, keys?: readonly string[], axes: readonly Axis[] = registry): string[] {
  return pick(axes, keys).flatMap((x) => {
    const l = x.label(x.get(a));
    return l === undefined ? [] : [l];
  });
}

/** The same as a sentence names them: `GODEBUG=netedns0=0`, `a go.mod "go 1.18" line`. */
export function settingsPhrases(a: CellAxes, keys?: readonly string[], axes: readonly Axis[] = registry): string[] {
  return pick(axes, keys).flatMap((x) => {
    const l = x.phrase(x.get(a));
    return l === undefined ? [] : [l];
  });
}

/** Whether a cell has the plain point (the one its id leaves out) on each of these axes. */
export function isPlain(a: CellAxes, keys: readonly string[], axes: readonly Axis[] = registry): boolean {
  return pick(axes, keys).every((x) => x.plain !== undefined && x.get(a) === x.plain);
}

/** Whether every axis field of a `when` holds for a cell. */
export function whenAxesMatch(w: Record<string, unknown>, a: CellAxes, axes: readonly Axis[] = registry): boolean {
  return axes.every((x) => w[x.key] === undefined || x.when.matches(w[x.key] as never, a));
}

/** A `when` field's value from the selector values it holds: the list, or the one value. */
export const whenValue = (x: Axis, values: string[]): unknown => (x.when.list ? values : values[0]);

/** The `when` fields the axes contribute, for the scenario schema. */
export function whenShapeFor(axes: readonly Axis[]): Record<string, z.ZodOptional<z.ZodType>> {
  return Object.fromEntries(axes.map((x) => [x.key, x.when.schema.optional()]));
}

export const whenShape = (): AxisWhenShape => whenShapeFor(AXES) as unknown as AxisWhenShape;
