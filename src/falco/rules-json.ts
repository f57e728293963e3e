import * as z from 'zod';
import { FalconerError } from '../core/errors.ts';

/**
 * `falco -L -o json_output=true` (all rules, macros, lists) and `falco -l <rule> -o
 * json_output=true` (one rule). Falco's array order is not stable between runs, so callers sort
 * or compare as sets. Unknown keys are kept out; fields newer Falcos add stay optional.
 */
const strings = z.array(z.string()).default([]);

export const ruleInfoSchema = z.object({
  name: z.string(),
  condition: z.string().default(''),
  output: z.string().default(''),
  description: z.string().default(''),
  priority: z.string(),
  source: z.string().default('syscall'),
  enabled: z.boolean().default(true),
  tags: strings,
  capture: z.boolean().optional(),
});

export const ruleDetailsSchema = z.object({
  macros: strings,
  lists: strings,
  condition_fields: strings,
  condition_operators: strings,
  output_fields: strings,
  exception_fields: strings,
  exception_names: strings,
  events: strings,
  plugins: strings,
  condition_compiled: z.string().optional(),
  output_compiled: z.string().optional(),
});

export const ruleEntrySchema = z.object({ info: ruleInfoSchema, details: ruleDetailsSchema.default(ruleDetailsSchema.parse({})) });

const macroEntrySchema = z.object({
  info: z.object({ name: z.string(), condition: z.string().default('') }),
  details: z.object({ used: z.boolean().optional() }).optional(),
});

const listEntrySchema = z.object({
  info: z.object({ name: z.string(), items: z.array(z.union([z.string(), z.number()])).default([]) }),
  details: z.object({ used: z.boolean().optional() }).optional(),
});

export const describedRulesSchema = z.object({
  rules: z.array(ruleEntrySchema).default([]),
  macros: z.array(macroEntrySchema).default([]),
  lists: z.array(listEntrySchema).default([]),
  required_engine_version: z.string().optional(),
});

export type RuleEntry = z.infer<typeof ruleEntrySchema>;
export type DescribedRules = z.infer<typeof describedRulesSchema>;

/** Parses the JSON that `-L` or `-l` prints; a JSON-less stdout means Falco failed before it. */
export function parseDescribedRules(stdout: string): DescribedRules {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout.trim());
  } catch (err) {
    throw new FalconerError('Falco printed no JSON rule description (stdout was not JSON).', { cause: err });
  }
  const parsed = describedRulesSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FalconerError(`Falco's rule description has an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
}
