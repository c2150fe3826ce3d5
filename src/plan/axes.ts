/**
 * The matrix vocabulary, declared once: every build or environment setting a cell varies (besides
 * the scenario and the Go toolchain), with its values, default, command-line flag, place in the
 * cell id, `when` selector and label. The planner, the CLI, the id parser, the scenario schema,
 * the expectation matcher, suggest, lint and the reports all read this table, so adding an axis
 * is one entry in axis-table.ts (and its tests); this module holds the registry and what is done with it.
 *
 * Each axis is handled through its "point": the value one cell has on it, as a string ('1',
 * 'cgo', 'netedns0=0', 'none', 'musl-1.2.3', 'real'). A cell keeps its typed fields (CellAxes);
 * `get` and `set` translate.
 */
import type { z } from 'zod';
import { HarnessError } from '../errors.js';
import type { CellAxes } from '../results/model.js';
import { CellIdError, type Axis, type ScenarioView } from './axis.js';
import { AXES } from './axis-table.js';

export { CellIdError, type Axis, type PointsContext, type ScenarioView } from './axis.js';
export { AXES, DEFAULT_GO_MOD, libcMatches } from './axis-table.js';

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

/** Whether Go 1.MINOR is in one item of `when.go`: 1.21, >=1.21, <1.23, or the span 1.21-1.22. */
export function versionMatches(minor: number, range: string): boolean {
  const r = range.replace(/\s+/g, '');
  const span = /^1\.(\d+)-1\.(\d+)$/.exec(r);
  if (span) return minor >= Number(span[1]) && minor <= Number(span[2]);
  const m = /^(>=|<=|>|<|=)?1\.(\d+)$/.exec(r);
  if (!m) return false;
  const v = Number(m[2]);
  switch (m[1]) {
    case '>=': return minor >= v;
    case '<=': return minor <= v;
    case '>': return minor > v;
    case '<': return minor < v;
    default: return minor === v;
  }
}

/**
 * Whether a `when` item selects a cell's lookup by what the plan knows before it runs: the Go
 * version, the lookup and the axes (`when.path`, which the outcome decides, is not looked at).
 */
export function whenSelects(w: { go?: string[] | undefined; lookup?: string | undefined } & Record<string, unknown>, a: CellAxes, lookup: string): boolean {
  if (w.go && !w.go.every((r) => versionMatches(a.goMinor, r))) return false;
  if (w.lookup !== undefined && w.lookup !== lookup) return false;
  return whenAxesMatch(w, a);
}

/** A `when` field's value from the selector values it holds: the list, or the one value. */
export const whenValue = (x: Axis, values: string[]): unknown => (x.when.list ? values : values[0]);

/** The `when` fields the axes contribute, for the scenario schema. */
export function whenShapeFor(axes: readonly Axis[]): Record<string, z.ZodOptional<z.ZodType>> {
  return Object.fromEntries(axes.map((x) => [x.key, x.when.schema.optional()]));
}

export const whenShape = (): AxisWhenShape => whenShapeFor(AXES) as unknown as AxisWhenShape;
