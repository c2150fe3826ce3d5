import { z } from 'zod';
import { serverOptionsSchema } from '../dns/options-schema.js';

export const LOOKUP_KINDS = ['host', 'ip4', 'ip6', 'addr', 'cname', 'mx', 'srv', 'txt', 'ns'] as const;

/** `host app.example.test`: what the probe looks up, and how. */
export const lookupSchema = z
  .string()
  .trim()
  .regex(new RegExp(`^(${LOOKUP_KINDS.join('|')}) \\S+$`), `expected "KIND NAME" with KIND one of ${LOOKUP_KINDS.join(', ')}, e.g. "host app.example.test"`);

/**
 * A file shown inside the sandbox: a bare name means /etc/NAME, an absolute path is used as it
 * is; null means the file does not exist there.
 */
const filesSchema = z
  .record(z.string().regex(/^(\/[^\0]+|[A-Za-z0-9._-]+)$/, 'a file name (resolv.conf) or an absolute path'), z.string().nullable())
  .default({});

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes, e.g. stub-refused'),
  summary: z.string().min(1, 'say in one sentence what the scenario sets up'),
  refs: z.array(z.string().min(1)).default([]),
  files: filesSchema,
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string()).default({}),
  servers: z.array(serverOptionsSchema).default([]),
  lookups: z.array(lookupSchema).default([]),
  /** Expectations; their schema comes with the matrix runner. */
  expect: z.array(z.unknown()).default([]),
});

export type Scenario = z.output<typeof scenarioSchema> & {
  /** The file it was read from. */
  source: string;
};
export type ScenarioInput = z.input<typeof scenarioSchema>;
