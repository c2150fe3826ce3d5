/** What an axis is: the contract every entry of the axes table fulfils (src/plan/axis-table.ts). */
import type { z } from 'zod';
import { HarnessError } from '../errors.js';
import type { ResolvedServer } from '../resolved/spec.js';
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
  /** Its files: `platform-default` ones exist only on a platform. */
  files?: Record<string, string | null> | undefined;
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
