/**
 * FalcoRuleSet: Falco rules in Falco's own YAML, checked before any node loads them.
 *
 * Size budget (etcd accepts requests up to 1.5 MiB): the rules text is capped at 1 MiB of
 * UTF-8 (the same cap as a ConfigMap), and the status is bounded to well under 300 KiB
 * (rule names 256×256, errors and warnings 2×50×1 KiB, verifications 16×1 KiB).
 */
import * as z from 'zod';
import { API_GROUP_VERSION, RULESET_KIND } from './names.ts';
import { dataKey, objectName } from './common.ts';
import { conditionsSchema } from './conditions.ts';
import { objectMetaSchema } from './object-meta.ts';
import { listMap, withRules } from './openapi/meta.ts';

export const MAX_RULES_BYTES = 1_048_576;
export const DEFAULT_RULES_KEY = 'rules.yaml';
export const LOAD_ORDER_MIN = 0;
export const LOAD_ORDER_MAX = 1000;
export const DEFAULT_LOAD_ORDER = 500;
export const MAX_RULE_NAMES = 256;
export const MAX_LOAD_MESSAGES = 50;
export const CONTENT_HASH = /^sha256:[a-f0-9]{64}$/;
/** A contentHash or bundleHash field. */
export const contentHash = (): z.ZodString => z.string().max(71).regex(CONTENT_HASH);

const rulesText = withRules(z.string().min(1).max(MAX_RULES_BYTES), [
  {
    rule: `size(bytes(self)) <= ${MAX_RULES_BYTES}`,
    message: `rules must be at most ${MAX_RULES_BYTES} bytes of UTF-8; use configMapRef or split the rule set`,
    holds: (text) => Buffer.byteLength(text, 'utf8') <= MAX_RULES_BYTES,
  },
]);

export const ruleSetSpecSchema = withRules(
  z.object({
    rules: rulesText
      .optional()
      .describe(
        "Falco rules, macros and lists in Falco's native YAML, exactly as in a rules file. Exactly one of rules and configMapRef is set.",
      ),
    configMapRef: z
      .object({
        name: objectName().describe('Name of the ConfigMap, in the same namespace as the rule set.'),
        key: dataKey().default(DEFAULT_RULES_KEY).describe('Key of the ConfigMap that holds the rules YAML.'),
      })
      .optional()
      .describe('Reads the rules from a ConfigMap key instead of spec.rules. Exactly one of rules and configMapRef is set.'),
    loadOrder: z
      .int()
      .min(LOAD_ORDER_MIN)
      .max(LOAD_ORDER_MAX)
      .default(DEFAULT_LOAD_ORDER)
      .describe(
        "Position in a monitor's load order: Falco's default rules first, then rule sets by ascending loadOrder, ties broken by name. A later rule set can append to or override what an earlier one defines.",
      ),
    enabled: z
      .boolean()
      .default(true)
      .describe('Whether monitors load this rule set. false keeps the object (and its checks) but leaves it out of every bundle.'),
  }),
  [
    {
      rule: 'has(self.rules) != has(self.configMapRef)',
      message: 'exactly one of spec.rules and spec.configMapRef must be set',
      holds: (s) => (s.rules !== undefined) !== (s.configMapRef !== undefined),
    },
  ],
);
export type RuleSetSpec = z.infer<typeof ruleSetSpecSchema>;

const loadMessageSchema = z.object({
  code: z
    .string()
    .max(64)
    .regex(/^LOAD_[A-Z_]+$/)
    .describe("Falco's result code, e.g. LOAD_ERR_COMPILE_CONDITION or LOAD_UNUSED_MACRO."),
  message: z.string().max(1024).describe('What is wrong, as Falco (or the static check) words it.'),
  itemKind: z.string().max(64).optional().describe("Falco's item type, e.g. rule, macro, list, rule condition."),
  itemName: z.string().max(256).optional().describe('Name of the rule, macro or list concerned.'),
  line: z.int().min(1).optional().describe('1-based line in the rules YAML.'),
  column: z.int().min(1).optional().describe('1-based column in the rules YAML.'),
  reportedBy: z.enum(['StaticCheck', 'Falco']).describe("Which check found it: Falconer's static check or a real Falco."),
});
export type LoadMessage = z.infer<typeof loadMessageSchema>;

const verificationSchema = z.object({
  image: z.string().min(1).max(512).describe('Falco image reference the rule set was verified with.'),
  falcoVersion: z.string().max(64).optional().describe('Falco version reported by that image.'),
  contentHash: contentHash().optional().describe('contentHash of the rules that were verified.'),
  verified: z.boolean().describe('Whether Falco accepted the rules.'),
  reason: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Z][A-Za-z0-9]*$/)
    .describe('PascalCase outcome, e.g. VerificationPassed or VerificationFailed.'),
  message: z.string().max(1024).describe('Summary of the outcome, a full sentence.'),
  jobName: objectName().optional().describe('Name of the verification Job.'),
  checkedAt: z.iso.datetime().describe('When the verification finished (RFC 3339).'),
});
export type Verification = z.infer<typeof verificationSchema>;

export const ruleSetStatusSchema = z.object({
  observedGeneration: z.int().min(0).optional().describe('metadata.generation this status describes.'),
  conditions: conditionsSchema.optional(),
  contentHash: contentHash().optional().describe('sha256 of the rules text in effect.'),
  counts: z
    .object({
      rules: z.int().min(0).describe('Number of rules defined.'),
      macros: z.int().min(0).describe('Number of macros defined.'),
      lists: z.int().min(0).describe('Number of lists defined.'),
    })
    .optional()
    .describe('How many rules, macros and lists the rule set defines.'),
  ruleNames: z
    .array(z.string().max(256).describe('A rule name.'))
    .max(MAX_RULE_NAMES)
    .optional()
    .describe(`Names of the rules defined, in file order; at most ${MAX_RULE_NAMES}.`),
  ruleNamesTruncated: z.boolean().optional().describe('True when ruleNames was cut short.'),
  modelledFalcoVersion: z
    .string()
    .max(64)
    .optional()
    .describe("The Falco release whose rules loader the static check (the Valid condition) modelled: the default image's. Each monitor checks again for its own image's release."),
  liveNodes: z
    .int()
    .min(0)
    .optional()
    .describe("Nodes whose Falco reports (by sha256, on its own /metrics) these rules as loaded, across the monitors in this namespace."),
  errors: z
    .array(loadMessageSchema.describe('One error.'))
    .max(MAX_LOAD_MESSAGES)
    .optional()
    .describe('Errors that make the rules invalid, with Falco codes and positions.'),
  warnings: z
    .array(loadMessageSchema.describe('One warning.'))
    .max(MAX_LOAD_MESSAGES)
    .optional()
    .describe('Warnings: the rules load, but something looks wrong.'),
  verifications: listMap(z.array(verificationSchema.describe('One verification result.')).max(16), ['image'])
    .optional()
    .describe('Verification by a real Falco, one entry per Falco image of the monitors that select this rule set.'),
});
export type RuleSetStatus = z.infer<typeof ruleSetStatusSchema>;

export const falcoRuleSetSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal(RULESET_KIND),
  metadata: objectMetaSchema,
  spec: ruleSetSpecSchema.describe('What the rule set contains and how monitors load it.'),
  status: ruleSetStatusSchema.optional().describe('What Falconer found when it checked the rule set. Written by the operator.'),
});
export type FalcoRuleSet = z.infer<typeof falcoRuleSetSchema>;
