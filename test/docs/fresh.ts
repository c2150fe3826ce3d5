/**
 * The published docs cannot go stale: each names the scenario set it was generated from, and it
 * must be the shipped one; every shipped scenario has its table. After changing a scenario, run
 * `npm run docs` (one full run, every doc from it).
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { scenarioSetHash } from '../../src/scenario/hash.js';
import { loadScenarios, parseScenario } from '../../src/scenario/load.js';

const read = (f: string) => readFileSync(new URL(`../../docs/${f}`, import.meta.url), 'utf8');
const shipped = loadScenarios();
const hash = scenarioSetHash(shipped);

t.test('every generated doc names the shipped scenario set', async (t) => {
  for (const f of ['compat.md', 'changes.md', 'claims.md', 'fingerprints.md', 'resolved.md', 'musl.md']) {
    const m = /scenario set (?:\| )?([0-9a-f]{12}) \((\d+) scenarios\)/.exec(read(f));
    t.ok(m, `docs/${f} names its scenario set`);
    t.equal(m?.[1], hash, `docs/${f} is from the shipped scenarios (${shipped.length}); if not, run: npm run docs`);
    t.equal(Number(m?.[2]), shipped.length);
  }
});

t.test('every shipped scenario has its table and its "What works" in compat.md and compat.html', async (t) => {
  const md = read('compat.md');
  const html = read('compat.html');
  for (const s of shipped) {
    const section = md.split(`\n## ${s.name}\n`)[1]?.split('\n## ')[0] ?? '';
    t.match(section, /^\| Go \| /m, `${s.name}: its table`);
    t.match(section, /^What works: /m, `${s.name}: its "What works"`);
    t.match(html, `data-scenario="${s.name}"`, `${s.name} in compat.html`);
  }
});

t.test('the scenario-set hash follows the content, not the comments', async (t) => {
  const text = (why: string) => `name: x\nsummary: s\nlookups: [host a.test]\nexpect:\n  - when: {cgo: 0}\n    path: go\n    result: ok\n    why: ${why}\n`;
  const a = scenarioSetHash([parseScenario(text('one'), 'x.yaml')]);
  t.equal(scenarioSetHash([parseScenario(`# a comment\n${text('one')}`, 'x.yaml')]), a);
  t.not(scenarioSetHash([parseScenario(text('two'), 'x.yaml')]), a);
  t.match(a, /^[0-9a-f]{12}$/);
});
