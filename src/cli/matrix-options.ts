import { AXES, allAxes } from '../plan/axes.js';
import type { PlanRequest } from '../plan/request.js';

type ListOption = { type: 'string'; multiple: true; default: string[]; value: string; help: string };

/** The options `run` and `list` share: one flag per axis, from the axes table, values and help included. */
export const MATRIX_OPTIONS = {
  scenario: { type: 'string', multiple: true, default: [], value: 'NAME|GLOB', help: 'the scenarios to take (default all)' },
  go: { type: 'string', multiple: true, default: [], value: 'VERSION|GOROOT', help: 'the Go toolchains to take (default every one found)' },
  ...(Object.fromEntries(AXES.map((x) => [x.flag, { type: 'string', multiple: true, default: [], value: x.help.split(':')[0] ?? 'VALUES', help: x.help.slice(x.help.indexOf(':') + 1).trim() }])) as Record<string, ListOption>),
  shard: { type: 'string', value: 'i/n', help: 'take a deterministic slice of the plan (merge the slices with merge)' },
  'scenarios-dir': { type: 'string', value: 'DIR', help: 'read the scenarios from DIR instead of the shipped scenarios/' },
  'no-fetch': { type: 'boolean', help: 'fetch nothing: use the toolchains, musl, systemd-resolved and platforms already here (cells needing a missing one are skipped)' },
} as const;

export interface MatrixArgs {
  scenario: string[];
  go: string[];
  /** One list per axis flag (cgo, netdns, libc, stub, godebug, tags, gomod, ...). */
  [flag: string]: string[] | string | boolean | undefined;
  shard?: string;
  'scenarios-dir'?: string;
  'no-fetch': boolean;
}

/** The plan request the options of `run` and `list` make. */
export function planRequestOf(a: MatrixArgs): PlanRequest {
  return {
    scenarios: a.scenario,
    go: a.go,
    flags: Object.fromEntries(allAxes().map((x) => [x.flag, (a[x.flag] as string[] | undefined) ?? []])),
    ...(a.shard ? { shard: a.shard } : {}),
    ...(a['scenarios-dir'] ? { scenariosDir: a['scenarios-dir'] } : {}),
    fetch: !a['no-fetch'],
  };
}
