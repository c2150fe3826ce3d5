import { discoverToolchains, resolveGiven, type Toolchain } from '../go/toolchains.js';
import { resolveScenario } from '../scenario/load.js';
import { planCells, parseCellId, type Cell } from './plan.js';
import { libcAxis } from '../libc/axis.js';

/** The cell a cell id names, resolved against the scenarios and toolchains found here. */
export async function cellFromId(id: string, opts: { scenariosDir?: string; toolchains?: Toolchain[] } = {}): Promise<Cell> {
  const axes = parseCellId(id);
  const scenario = resolveScenario(axes.scenario, opts.scenariosDir);
  const toolchain = await resolveGiven(axes.go, opts.toolchains ?? (await discoverToolchains()));
  const [cell] = planCells([scenario], [toolchain], { cgo: [axes.cgo], netdns: [axes.netdns], godebug: [axes.godebug.join(',') || 'none'], tags: [axes.tags.join(',') || 'none'], goModGo: [axes.goModGo], stub: axes.stub ? [axes.stub] : [], libc: libcAxis([axes.libc ?? 'glibc']) });
  if (!cell) throw new Error(`no cell for ${id}`);
  return cell;
}
