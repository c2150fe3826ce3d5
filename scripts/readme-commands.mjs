#!/usr/bin/env node
// Writes the README's command list from the command declarations (src/cli/commands.ts), so the
// list cannot drift from what the CLI parses; test/cli/command.ts fails when they differ.
// Usage (after npm run build): npm run readme:commands
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { replaceCommandList } = await import(join(ROOT, 'dist/cli/readme.js'));
const file = join(ROOT, 'README.md');
const before = readFileSync(file, 'utf8');
const after = replaceCommandList(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(after !== before ? 'README.md: command list written\n' : 'README.md: command list already up to date\n');
