// Regenerates scenarios/schema.json from the zod schema (npm run schema).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../dist/scenario/json-schema.js';
writeFileSync(new URL('../scenarios/schema.json', import.meta.url), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
