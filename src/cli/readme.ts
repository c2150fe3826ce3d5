import { errorCatalogue, HarnessError } from '../errors.js';
import { commandList } from './command.js';
import { COMMANDS } from './commands.js';

/** The README's generated blocks: each between its own markers, made from its one declaration. */
const BLOCKS = [
  { name: 'commands', text: () => commandList(COMMANDS) },
  { name: 'errors', text: errorCatalogue },
];

/** The README with its command list and error catalogue (each between its markers) generated. */
export function replaceGenerated(readme: string): string {
  let out = readme;
  for (const b of BLOCKS) {
    const begin = new RegExp(`<!-- ${b.name}: [^\\n]*-->\\n\`\`\`\\n`).exec(out);
    const end = out.indexOf(`\`\`\`\n<!-- end of ${b.name} -->`);
    if (!begin || end < begin.index) throw new HarnessError('GDH_INTERNAL', `README.md: the ${b.name} markers (<!-- ${b.name}: ... --> and <!-- end of ${b.name} -->) are missing`);
    const from = begin.index + begin[0].length;
    out = `${out.slice(0, from)}${b.text()}${out.slice(end)}`;
  }
  return out;
}
