import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** The JSON Schema of scenario files (as they are written, before defaults), for editors. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://go-dns-harness.invalid/scenario.schema.json', title: 'go-dns-harness scenario' };
}
