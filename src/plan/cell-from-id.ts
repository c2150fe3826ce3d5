import { binaryToolchain, discoverToolchains, resolveGiven, type Toolchain } from '../go/toolchains.js';
import type { Program } from '../go/program.js';
import { UsageError } from '../errors.js';
import { resolveScenario } from '../scenario/load.js';
import { planCells, parseCellId, PlanError, type Cell } from './cells.js';
import { libcAxis } from './libc-axis.js';
import { allAxes, idParts } from './axes.js';

/** The cell a cell id names, resolved against the scenarios and toolchains found here. */
export async function cellFromId(id: string, opts: { scenariosDir?: string; toolchains?: Toolchain[]; program?: Program } = {}): Promise<Cell> {
  const axes = parseCellId(id);
  const scenario = resolveScenario(axes.scenario, opts.scenariosDir);
  if (axes.program && !opts.program) throw new UsageError(`cell id "${id}" is a cell of your program ${axes.program}: give it again with --program PATH (and its arguments after --)`);
  if (opts.program && axes.program !== opts.program.name) throw new UsageError(`--program ${opts.program.given} is named ${opts.program.name}, but cell id "${id}" ${axes.program ? `names ${axes.program}` : 'is a probe cell'}`);
  // A built binary is its own toolchain: the id's Go version is the one that built it.
  const toolchain =
    opts.program?.kind === 'binary'
      ? binaryToolchain((await discoverToolchains()).at(-1), axes.go, axes.goMinor)
      : await resolveGiven(axes.go, opts.toolchains ?? (await discoverToolchains()), `cell id "${id}": ${axes.go}`);
  // Every axis held to the one point the id names.
  const points: Record<string, string[]> = Object.fromEntries(allAxes().map((x) => [x.key, [x.get(axes)]]));
  // A scenario may widen an axis (two go.mod lines), so the cell is the one whose id parts match, not the first.
  const want = idParts(axes).join(':');
  const cell = planCells([scenario], [toolchain], { ...points, libc: libcAxis(points.libc ?? []), ...(opts.program ? { program: [opts.program] } : {}) }).find((c) => idParts(c.axes).join(':') === want);
  if (!cell) throw new PlanError(`cell id "${id}": names no cell of ${scenario.name} (the scenario plans none with these settings)`);
  return cell;
}
