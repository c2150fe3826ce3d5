import { loadScenarios } from '../scenario/load.js';
import { planFor } from '../plan/request.js';
import { planRequestOf, type MatrixArgs } from './matrix-options.js';

/** Scenarios, toolchains, and the planned cells (with --json, the plan as data). */
export async function list(a: MatrixArgs, json: boolean): Promise<void> {
  const say = (s: string) => void process.stderr.write(`go-dns-harness: ${s}\n`);
  const { cells, toolchains } = await planFor({ ...planRequestOf(a), fetch: false }, say).catch(async (err: unknown) => {
    if ((err as { code?: string }).code === 'GDH_ENV') return { cells: [], toolchains: [] };
    throw err;
  });
  if (json) {
    process.stdout.write(`${JSON.stringify({ toolchains: toolchains.map((t) => ({ version: t.version, goroot: t.goroot })), cells: cells.map((c) => ({ id: c.id, axes: c.axes, expectedMs: c.expectedMs })) }, null, 1)}\n`);
    return;
  }
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w('scenarios:');
  for (const s of loadScenarios(a['scenarios-dir'])) w(`  ${s.name.padEnd(32)} ${s.summary.trim().split('\n')[0]?.slice(0, 100)}`);
  w(`toolchains: ${toolchains.map((t) => t.version).join(', ') || 'none found'}`);
  w(`planned cells: ${cells.length} (list them with --json)`);
}
