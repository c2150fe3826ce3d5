/** A program's dns-expect.yaml: validated as scenarios are, errors at file:line:column. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadProgramExpectations } from '../../src/scenario/program-expect.js';
import { programExpectJsonSchema } from '../../src/scenario/json-schema.js';

const GOOD = `program: http-client
expect:
  - scenarios: [stub-refused, "resolved-*"]
    when: [{cgo: "0"}, {netdns: go}]
    exit: 1
    stderr: '/resolving app\\.example\\.test failed after \\d+ms: .*server misbehaving/'
    paths: [go]
    minMs: 0
    maxMs: 1000
    why: Go's resolver reports REFUSED as "server misbehaving".
  - exit: [0, 1]
`;

t.test('a good file loads; entries default to every scenario and cell', async (t) => {
  const dir = t.testdir({ 'dns-expect.yaml': GOOD });
  const ex = loadProgramExpectations(dir, ['stub-refused', 'resolved-healthy']);
  t.equal(ex?.source, join(dir, 'dns-expect.yaml'));
  t.same(ex?.expect[0]?.exit, [1], 'one exit code is a list of one');
  t.same(ex?.expect[0]?.when, [{ cgo: '0' }, { netdns: ['go'] }]);
  t.same(ex?.expect[1]?.when, [{}]);
  t.equal(ex?.expect[1]?.scenarios, undefined);
  t.equal(loadProgramExpectations(t.testdir({})), undefined, 'no file: behaviour only');
});

t.test('bad input names the file, the line, the field and the value', async (t) => {
  const bad = (text: string, known?: string[]) => {
    const dir = t.testdir({ 'dns-expect.yaml': text });
    try {
      loadProgramExpectations(dir, known);
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };
  t.match(bad('expect:\n  - exit: 0\n    stdout: "/(unclosed/"\n'), /dns-expect\.yaml:3:\d+: expect\[0\]\.stdout: "\/\(unclosed\/" is not valid; not a regular expression/);
  t.match(bad('expect:\n  - exit: 300\n'), /dns-expect\.yaml:2:\d+: expect\[0\]\.exit: 300 is not valid/);
  t.match(bad('expect:\n  - exit: 0\n    when: {path: go}\n'), /dns-expect\.yaml:3:\d+: .*path/, 'a program entry does not select by path');
  t.match(bad('expect:\n  - stdout: ok\n'), /expect\[0\]\.exit: missing/);
  t.match(bad('expect: []\n'), /expect: \[\] is not valid; at least one entry; without any, delete the file/);
  t.match(bad('expect:\n  - exit: 0\n    scenarios: [no-such-*]\n', ['stub-refused']), /dns-expect\.yaml: expect\[0\]\.scenarios: "no-such-\*" is not valid; matches no scenario; known: stub-refused/);
  t.match(bad('expect:\n  - exit: 0\n    colour: blue\n'), /dns-expect\.yaml:3:5: /, 'an unknown key at its own line');
});

t.test('the JSON Schema for editors describes the file as written', async (t) => {
  const s = programExpectJsonSchema() as { title: string; properties: { expect: { items: { properties: Record<string, unknown> } } } };
  t.match(s.title, /dns-expect\.yaml/);
  t.same(Object.keys(s.properties.expect.items.properties).sort(), ['exit', 'maxMs', 'minMs', 'paths', 'scenarios', 'stderr', 'stdout', 'when', 'why']);
});

t.test('scenarios/dns-expect.schema.json is the schema the loader uses (npm run schema regenerates it)', async (t) => {
  const file = JSON.parse(readFileSync(new URL('../../scenarios/dns-expect.schema.json', import.meta.url), 'utf8')) as unknown;
  t.same(file, programExpectJsonSchema());
});
