import { z } from 'zod';
import { programExpectFileSchema } from './program-expect.js';
import { scenarioSchema } from './schema.js';

/** The JSON Schema of scenario files (as they are written, before defaults), for editors. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://go-dns-harness.invalid/scenario.schema.json', title: 'go-dns-harness scenario' };
}

/** The JSON Schema of a program's dns-expect.yaml (as written), for editors. */
export function programExpectJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(programExpectFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://go-dns-harness.invalid/dns-expect.schema.json', title: 'go-dns-harness program expectations (dns-expect.yaml)' };
}
