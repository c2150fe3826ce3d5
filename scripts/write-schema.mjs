// Regenerates scenarios/schema.json (scenario files) and scenarios/dns-expect.schema.json (a
// program's dns-expect.yaml) from the zod schemas (npm run schema).
import { writeFileSync } from 'node:fs';
import { programExpectJsonSchema, scenarioJsonSchema } from '../dist/scenario/json-schema.js';
const write = (name, schema) => writeFileSync(new URL(`../scenarios/${name}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
write('schema.json', scenarioJsonSchema());
write('dns-expect.schema.json', programExpectJsonSchema());
