// The docs pages keep hand-written text and a generated part between two markers; these scripts
// rewrite only the latter.
import { readFileSync, writeFileSync } from 'node:fs';

const BEGIN = '<!-- generated: begin -->';
const END = '<!-- generated: end -->';

/**
 * The one line every generated doc carries about the run it came from: when, where, which Go,
 * how many cells, and the scenario set (test/docs/published.ts compares it with the shipped one).
 */
export function runIdentity(doc) {
  const m = doc.meta;
  const s = doc.summary;
  const set = m.scenarioSet ? `scenario set ${m.scenarioSet.hash} (${m.scenarioSet.scenarios} scenarios)` : 'scenario set unknown';
  return `Run ${m.startedAt} on ${m.host.distro} (${m.host.glibc})${m.resolved ? `, ${m.resolved}` : ''}; Go ${m.toolchains.map((t) => t.version.replace(/^go/, '')).join(', ')}; ${s.total} cells: ${s.pass} pass, ${s.fail} fail, ${s.slow} slow, ${s.skip} skipped, ${s.error} errors; ${set}.`;
}

/** Replaces what stands between the markers of docs/NAME with `body`. */
export function writeGenerated(name, body) {
  const target = new URL(`../docs/${name}`, import.meta.url);
  const page = readFileSync(target, 'utf8');
  const [head, rest] = page.split(BEGIN);
  if (rest === undefined || !rest.includes(END)) throw new Error(`docs/${name}: the markers ${BEGIN} and ${END} are missing`);
  writeFileSync(target, `${head}${BEGIN}\n\n${body}\n${rest.slice(rest.indexOf(END))}`);
}
