/** The axes table: each shipped axis from its one entry, and a new axis that is only an entry. */
import t from 'tap';
import { z } from 'zod';
import { MATRIX_OPTIONS } from '../../src/cli/matrix-options.js';
import { axesFrom } from '../../src/plan/request.js';
import { commandHelp, usageLine } from '../../src/cli/command.js';
import { commandNamed } from '../../src/cli/commands.js';
import { AXES, allAxes, cellPoints, defaultPoints, idParts, pointsFromId, registerAxis, settingsLabels, settingsPhrases, whenAxesMatch, whenShapeFor, type Axis } from '../../src/plan/axes.js';
import { cellId, parseCellId, planCells } from '../../src/plan/cells.js';
import type { CellAxes } from '../../src/results/model.js';
import { rowOf } from '../../src/report/grid.js';
import { scenario, toolchain } from '../helpers/fixtures.js';

/** A throwaway axis: the colour of the probe's console, red unless asked. */
const colour: Axis = {
  key: 'colour',
  flag: 'colour',
  help: 'red,blue: the colour of the console',
  idKey: 'colour',
  defaults: ['red'],
  parseFlag: (values) => {
    const out = values.flatMap((v) => v.split(',')).filter(Boolean);
    for (const v of out) if (v !== 'red' && v !== 'blue') throw new Error(`--colour: "${v}" is not red or blue`);
    return out;
  },
  get: (a) => ((a as unknown as Record<string, string>).colour ?? 'red'),
  set: (a, p) => void ((a as unknown as Record<string, string>).colour = p),
  plain: 'red',
  fromId: (raw) => {
    if (raw !== 'red' && raw !== 'blue') throw new Error(`colour=${raw} is not red or blue`);
    return raw;
  },
  label: (p) => (p === 'red' ? undefined : `colour ${p}`),
  phrase: (p) => (p === 'red' ? undefined : `a ${p} console`),
  when: { schema: z.enum(['red', 'blue']), matches: (want: string, a) => ((a as unknown as Record<string, string>).colour ?? 'red') === want, selector: (a) => (a as unknown as Record<string, string>).colour ?? 'red' },
};

t.test('a new axis is one entry: the plan, the ids, the flags, `when` and the labels take it', async (t) => {
  const unregister = registerAxis(colour);
  t.teardown(unregister);
  t.throws(() => registerAxis(colour), { message: /already registered/ });
  const s = scenario({ name: 's' });
  const args: Record<string, string[] | undefined> = { cgo: ['1'], netdns: ['go'], colour: ['red,blue'] };
  const cells = planCells([s], [toolchain(27)], axesFrom(args));
  t.same(cells.map((c) => c.id), ['s:go1.27.1:cgo=1:netdns=go', 's:go1.27.1:cgo=1:netdns=go:colour=blue'], 'one cell per colour; the plain one keeps its old id');
  const blue = cells[1]!;
  t.same(parseCellId(blue.id), blue.axes, 'the id parses back');
  t.equal(cellId(parseCellId(blue.id)), blue.id);
  t.throws(() => parseCellId('s:go1.27.1:cgo=1:netdns=go:colour=green'), { message: /colour=green is not red or blue/ });
  t.throws(() => axesFrom({ ...args, colour: ['green'] }), { message: /--colour: "green"/ });
  t.ok(whenAxesMatch({ colour: 'blue', cgo: '1' }, blue.axes));
  t.notOk(whenAxesMatch({ colour: 'blue' }, cells[0]!.axes));
  t.equal(rowOf(blue), 'go1.27.1 colour blue', 'the grid names it in the row');
  t.same(settingsPhrases(blue.axes, ['colour']), ['a blue console']);
  t.ok(whenShapeFor(allAxes()).colour, 'a `when` schema can be built with it');
  unregister();
  t.same(planCells([s], [toolchain(27)], axesFrom({ ...args, colour: undefined })).map((c) => c.id), ['s:go1.27.1:cgo=1:netdns=go'], 'gone again when unregistered');
});

t.test('every shipped axis has a flag, help, an id part and a `when` field', async (t) => {
  const options = MATRIX_OPTIONS as Record<string, unknown>;
  for (const x of AXES) {
    t.ok(options[x.flag], `--${x.flag} is an option of run and list`);
    for (const name of ['run', 'list']) {
      const c = commandNamed(name);
      t.match(c && usageLine(c), `--${x.flag} `, `--${x.flag} is in ${name}'s usage line`);
      t.ok(c && commandHelp(c).replace(/\s+/g, ' ').includes(x.help.slice(x.help.indexOf(':') + 1).trim()), `--${x.flag}'s help is in ${name} --help`);
    }
    t.ok(x.defaults.length > 0, `${x.key} has defaults`);
  }
  const a: CellAxes = { scenario: 's', go: 'go1.27.1', goMinor: 27, cgo: '1', netdns: 'cgo', godebug: ['netedns0=0'], tags: ['netgo'], goModGo: '1.18', libc: 'musl-1.2.3', stub: 'real' };
  t.same(idParts(a), ['cgo=1', 'netdns=cgo', 'libc=musl-1.2.3', 'stub=real', 'godebug=netedns0=0', 'tags=netgo', 'gomod=1.18'], 'the id order');
  t.same(pointsFromId(idParts(a)), { cgo: '1', netdns: 'cgo', libc: 'musl-1.2.3', platform: 'host', stub: 'real', godebug: 'netedns0=0', tags: 'netgo', goModGo: '1.18', program: '' });
  t.throws(() => pointsFromId(['cgo=1', 'netdns=go', 'flavour=x']), { message: /"flavour" is not a part of a cell id/ });
  t.throws(() => pointsFromId(['netdns=go']), { message: /cgo=… is required/ });
  t.throws(() => pointsFromId(['cgo=0', 'netdns=go', 'libc=musl-1.2.3']), { message: /needs cgo=1/ });
  t.same(settingsLabels(a), ['cgo 1', 'netdns=cgo', 'musl-1.2.3', 'stub=real', 'netedns0=0', 'tags=netgo', 'go.mod 1.18']);
  t.same(settingsPhrases(a, ['godebug', 'tags', 'goModGo', 'stub']), ['GODEBUG=netedns0=0', '-tags netgo', 'a go.mod "go 1.18" line', 'behind the real systemd-resolved'], 'in the order asked');
});

t.test("the go.mod axis's plain point is the probe's own go line", async (t) => {
  const { readFileSync } = await import('node:fs');
  const { DEFAULT_GO_MOD } = await import('../../src/plan/axes.js');
  const line = /^go (\d+\.\d+)$/m.exec(readFileSync(new URL('../../go-probe/go.mod', import.meta.url), 'utf8'))?.[1];
  t.equal(DEFAULT_GO_MOD, line);
});

t.test('the platform axis: host is plain, a release is in the id, musl stays on the host', async (t) => {
  const { cellPoints, DEFAULT_GO_MOD } = await import('../../src/plan/axes.js');
  const a: CellAxes = { scenario: 's', go: 'go1.27.1', goMinor: 27, cgo: '1', netdns: 'cgo', godebug: [], tags: [], goModGo: DEFAULT_GO_MOD, platform: 'debian-11', stub: 'real' };
  t.same(idParts(a), ['cgo=1', 'netdns=cgo', 'platform=debian-11', 'stub=real'], 'after libc, before stub');
  t.same(pointsFromId(idParts(a)).platform, 'debian-11');
  t.same(pointsFromId(['cgo=0', 'netdns=go']).platform, 'host', 'an id without it is the host');
  t.throws(() => pointsFromId(['cgo=0', 'netdns=go', 'platform=host']), { message: /host cells carry no platform part/ });
  t.throws(() => pointsFromId(['cgo=0', 'netdns=go', 'platform=debian-7']), { message: /platform=debian-7 is not one of debian-11, debian-12, debian-13, debian-sid/ });
  t.throws(() => pointsFromId(['cgo=1', 'netdns=go', 'libc=musl-1.2.3', 'platform=debian-11']), { message: /musl cells run on the host only/ });
  t.same(settingsLabels(a, ['platform']), ['debian-11']);
  t.same(settingsPhrases(a, ['platform']), ['on debian-11']);
  t.ok(whenAxesMatch({ platform: ['debian-11', 'debian-13'] }, a));
  t.notOk(whenAxesMatch({ platform: ['host'] }, a));
  const { platform: _, ...onHost } = a;
  t.ok(whenAxesMatch({ platform: ['host'] }, onHost), 'host selects cells without a platform');
  const platform = AXES.find((x) => x.key === 'platform')!;
  t.throws(() => platform.parseFlag(['debian-11,ubuntu-20.04']), { message: /--platform: "ubuntu-20\.04" is not one of host, debian-11, debian-12, debian-13, debian-sid, all/ });
  const points = cellPoints({ axes: {} }, { cgo: ['0', '1'], libc: ['glibc', 'musl-1.2.3'], platform: ['host', 'debian-11'] });
  const seen = points.map((p) => `${p.cgo}/${p.libc}/${p.platform}`);
  t.ok(seen.includes('1/glibc/debian-11') && seen.includes('0/glibc/debian-11'), 'glibc and CGO_ENABLED=0 cells on the platform');
  t.ok(seen.includes('1/musl-1.2.3/host') && !seen.includes('1/musl-1.2.3/debian-11'), 'musl cells on the host only');
});

t.test('the program axis: a name in the id, the probe plain, no go.mod variants for a program', async (t) => {
  const a: CellAxes = { scenario: 's', go: 'go1.27.1', goMinor: 27, cgo: '0', netdns: 'go', godebug: [], tags: [], goModGo: '1.19', program: 'http-client' };
  t.same(idParts(a), ['cgo=0', 'netdns=go', 'program=http-client']);
  t.equal(pointsFromId(idParts(a)).program, 'http-client');
  t.throws(() => pointsFromId(['cgo=0', 'netdns=go', 'program=a/b']), { message: /program=a\/b is not a program name/ });
  const view = { axes: { goModGo: ['1.18'] } };
  const cells = cellPoints(view, { ...defaultPoints(), program: ['http-client'] });
  t.ok(cells.length > 0 && cells.every((c) => c.program === 'http-client' && c.goModGo === '1.19'), "a scenario's extra go.mod line is the probe's business, not a program's");
  t.ok(cellPoints(view, defaultPoints()).some((c) => c.goModGo === '1.18'), 'the probe still takes it');
});
