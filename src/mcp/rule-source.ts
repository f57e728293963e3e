import * as z from 'zod';
import { ruleSetSpecSchema } from '../api/ruleset.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { McpDeps } from './deps.ts';
import { namespaceField, objectNameField } from './target.ts';

/** Largest candidate accepted: far above real rules files (falco_rules.yaml is ~60 KB). */
export const MAX_RULES_BYTES = 512 * 1024;

export const candidateShape = {
  rules: z.string().max(MAX_RULES_BYTES).optional().describe('Candidate Falco rules file (YAML text).'),
  ruleSet: z
    .object({ name: objectNameField, namespace: namespaceField.optional() })
    .optional()
    .describe('Or a FalcoRuleSet to check, by name (namespace defaults to the monitor\'s).'),
};

export interface Candidate {
  /** What reports call it: "candidate" or "FalcoRuleSet ns/name". */
  label: string;
  content: string;
}

/** spec.rules of a FalcoRuleSet, read through the CRD's own schema. */
function inlineRules(spec: unknown, key: string): string {
  const parsed = ruleSetSpecSchema.safeParse(spec);
  if (!parsed.success) throw new InvalidInputError(`${key} has a spec this server cannot read: ${parsed.error.issues[0]?.message ?? ''}`, { field: 'ruleSet' });
  if (parsed.data.rules !== undefined) return parsed.data.rules;
  // Reading the ConfigMap would need RBAC on ConfigMaps, which the MCP server does not get.
  throw new InvalidInputError(`${key} keeps its rules in ConfigMap ${parsed.data.configMapRef?.name ?? '?'}; pass that text as "rules" instead.`, { field: 'ruleSet' });
}

/** The rules text to check: given inline, or read from a FalcoRuleSet. Exactly one is needed. */
export async function loadCandidate(
  deps: McpDeps,
  args: { rules?: string | undefined; ruleSet?: { name: string; namespace?: string | undefined } | undefined },
  defaultNamespace: string,
): Promise<Candidate> {
  if ((args.rules === undefined) === (args.ruleSet === undefined)) {
    throw new InvalidInputError('Pass exactly one of "rules" (YAML text) or "ruleSet" (a FalcoRuleSet name).', { field: 'rules' });
  }
  if (args.rules !== undefined) {
    if (args.rules.includes('\u0000')) throw new InvalidInputError('The rules text must not contain NUL bytes.', { field: 'rules' });
    return { label: 'candidate', content: args.rules };
  }
  const ns = args.ruleSet?.namespace ?? defaultNamespace;
  const name = args.ruleSet?.name ?? '';
  const obj = await deps.objects.getRuleSet(ns, name);
  if (obj === undefined) throw new InvalidInputError(`FalcoRuleSet ${ns}/${name} was not found.`, { field: 'ruleSet' });
  const label = `FalcoRuleSet ${ns}/${name}`;
  return { label, content: inlineRules(obj.spec, label) };
}
