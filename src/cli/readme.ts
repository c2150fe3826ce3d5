import { HarnessError } from '../errors.js';
import { commandList } from './command.js';
import { COMMANDS } from './commands.js';

const BEGIN = /<!-- commands: [^\n]*-->\n```\n/;
const END = '```\n<!-- end of commands -->';

/** The README with its command list (between the markers) generated from the declarations. */
export function replaceCommandList(readme: string): string {
  const b = BEGIN.exec(readme);
  const e = readme.indexOf(END);
  if (!b || e < b.index) throw new HarnessError('GDH_README', 'README.md: the command list markers (<!-- commands: ... --> and <!-- end of commands -->) are missing');
  const from = b.index + b[0].length;
  return `${readme.slice(0, from)}${commandList(COMMANDS)}${readme.slice(e)}`;
}
