// The docs pages keep hand-written text and a generated part between two markers; these scripts
// rewrite only the latter.
import { readFileSync, writeFileSync } from 'node:fs';

const BEGIN = '<!-- generated: begin -->';
const END = '<!-- generated: end -->';

/** The result document a docs script reads: the path given, else its default. */
export const readResults = (fallback) => {
  const file = process.argv[2] ?? fallback;
  return { file, doc: JSON.parse(readFileSync(file, 'utf8')) };
};

/** Replaces what stands between the markers of docs/NAME with `body`. */
export function writeGenerated(name, body) {
  const target = new URL(`../docs/${name}`, import.meta.url);
  const page = readFileSync(target, 'utf8');
  const [head, rest] = page.split(BEGIN);
  if (rest === undefined || !rest.includes(END)) throw new Error(`docs/${name}: the markers ${BEGIN} and ${END} are missing`);
  writeFileSync(target, `${head}${BEGIN}\n\n${body}\n${rest.slice(rest.indexOf(END))}`);
}
