#!/usr/bin/env node
// Writes the README's generated blocks (the command list from src/cli/commands.ts, the error
// catalogue from src/errors.ts), so they cannot drift from the code;
// test/cli/command.ts fails when they differ.
// Usage: npm run readme
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { replaceGenerated } = await import(join(ROOT, 'dist/cli/readme.js'));
const file = join(ROOT, 'README.md');
const before = readFileSync(file, 'utf8');
const after = replaceGenerated(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(after !== before ? 'README.md: generated blocks written\n' : 'README.md: generated blocks already up to date\n');
