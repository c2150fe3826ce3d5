/** The scenario set hash: what the scenarios say, not how they are written. */
import t from 'tap';
import { parseScenario } from '../../src/scenario/load.js';
import { scenarioSetHash } from '../../src/scenario/hash.js';

const A = 'name: a\nsummary: x\nlookups: [host a.test]\nexpect:\n  - when: {cgo: 1, netdns: go}\n    path: go\n    result: ok\n';
const B = 'name: b\nsummary: y\n';

t.test('the same scenarios hash alike however written; a changed one does not', async (t) => {
  const h = scenarioSetHash([parseScenario(A, 'a.yaml'), parseScenario(B, 'b.yaml')]);
  t.match(h, /^[0-9a-f]{12}$/);
  // Key order, comments, flow style and the files' order are formatting.
  const reordered = '# a comment\nsummary: x\nname: a\nexpect:\n  - result: ok\n    path: go\n    when:\n      netdns: go\n      cgo: 1\nlookups:\n  - host a.test\n';
  t.equal(scenarioSetHash([parseScenario(B, 'b.yaml'), parseScenario(reordered, 'elsewhere/a.yaml')]), h);
  t.not(scenarioSetHash([parseScenario(A.replace('netdns: go', 'netdns: cgo'), 'a.yaml'), parseScenario(B, 'b.yaml')]), h, 'a changed selector is another set');
  t.not(scenarioSetHash([parseScenario(A, 'a.yaml')]), h, 'a missing scenario is another set');
});
