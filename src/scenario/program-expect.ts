/**
 * What a user's program is judged by (`run --program`): the scenarios' lookups are not the
 * program's, so its expectations live next to it, in dns-expect.yaml, validated as scenarios are.
 * Without the file a program cell shows its behaviour only, with no verdict.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { oneOrMany } from '../dns/options-schema.js';
import { globRe, parseYamlAs, ScenarioError } from './load.js';
import { whenSchema } from './schema.js';

export const PROGRAM_EXPECT_FILE = 'dns-expect.yaml';

/** Text the output must contain, or /a regex/flags (checked to compile). */
const outputPattern = z
  .string()
  .min(1)
  .superRefine((p, ctx) => {
    const re = /^\/(.*)\/([a-z]*)$/s.exec(p);
    if (!re) return;
    try {
      new RegExp(re[1] as string, re[2]);
    } catch (err) {
      ctx.addIssue({ code: 'custom', input: p, message: `not a regular expression: ${(err as Error).message}` });
    }
  });

/** A program's `when`: the axes and the Go range, as a scenario's (a program has no lookups of ours to pick, nor a path to select by). */
const programWhen = whenSchema.omit({ path: true, lookup: true });

export const programExpectationSchema = z.strictObject({
  /** The scenarios this entry speaks for: names or globs (resolved-*); every scenario when absent. */
  scenarios: oneOrMany(z.string().min(1)).optional(),
  /** Which cells: every field given must hold; a list means any of its items. */
  when: z.union([programWhen, z.array(programWhen).min(1)]).default({}).transform((w) => (Array.isArray(w) ? w : [w])),
  /** The exit code, or the codes any of which will do. */
  exit: oneOrMany(z.number().int().min(0).max(255)),
  /** Text stdout must contain, or /a regex/. */
  stdout: outputPattern.optional(),
  /** Text stderr must contain (the netdns trace lines are left out), or /a regex/. */
  stderr: outputPattern.optional(),
  /** The paths Go may declare for the names the program looks up; each traced lookup must take one. */
  paths: z.array(z.enum(['go', 'cgo'])).min(1).optional(),
  /** Faster than this fails (a wait it stands for did not happen); slower than maxMs is "slow". */
  minMs: z.number().int().min(0).optional(),
  maxMs: z.number().int().positive().optional(),
  /** Why this is the expected behaviour. */
  why: z.string().optional(),
});

export const programExpectFileSchema = z.strictObject({
  /** The program these expectations are for (informational: the file sits next to it). */
  program: z.string().optional(),
  /** Per cell, the first entry that speaks for it applies; none is a failure. */
  expect: z.array(programExpectationSchema).min(1, 'at least one entry; without any, delete the file and the cells show behaviour only'),
});

export type ProgramExpectation = z.output<typeof programExpectationSchema>;

export interface ProgramExpectations {
  /** The file they came from. */
  source: string;
  expect: ProgramExpectation[];
}

/** The program's expectations from DIR/dns-expect.yaml (or the file given), or undefined when there is none. */
export function loadProgramExpectations(dirOrFile: string, known?: string[]): ProgramExpectations | undefined {
  const file = dirOrFile.endsWith('.yaml') || dirOrFile.endsWith('.yml') ? dirOrFile : join(dirOrFile, PROGRAM_EXPECT_FILE);
  if (!existsSync(file)) return undefined;
  const doc = parseYamlAs(programExpectFileSchema, readFileSync(file, 'utf8'), file);
  if (known) {
    doc.expect.forEach((e, i) => {
      for (const p of e.scenarios ?? []) {
        if (!known.some((name) => globRe(p).test(name))) throw new ScenarioError(`expect[${i}].scenarios`, p, `matches no scenario; known: ${known.join(', ')}`, file);
      }
    });
  }
  return { source: file, expect: doc.expect };
}
