/**
 * falco.yaml facts the API depends on: priority names and the keys the operator owns.
 * `spec.extraConfig` is merged into the generated falco.yaml, so every key that Falconer derives
 * from the spec (or that its safety model depends on) is refused there, with a message that
 * points to the spec field to use instead.
 */
import * as z from 'zod';
import { maxProperties, withRules } from './openapi/meta.ts';
import type { CheckedRule } from './openapi/meta.ts';

/** Falco's priorities, most severe first, spelled as Falco prints them in alerts. */
export const FALCO_PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
export type FalcoPriority = (typeof FALCO_PRIORITIES)[number];

interface OwnedKey {
  /** The JSON type Falco expects, so a well-typed value reaches the CEL rule and gets its message. */
  type: 'array' | 'objects' | 'boolean' | 'object' | 'string';
  /** Why the key is refused and what to do instead, completing "extraConfig.<key> is owned by Falconer: …". */
  why: string;
}

/**
 * Top-level falco.yaml keys that Falconer writes itself. The one list: the CRD rules, the zod
 * check, the config builder and the docs all read it.
 */
export const OPERATOR_OWNED_FALCO_KEYS = {
  rules_files: { type: 'array', why: 'rules come from the FalcoRuleSets selected by spec.ruleSets, and spec.includeDefaultRules' },
  rules_file: { type: 'array', why: 'rules come from the FalcoRuleSets selected by spec.ruleSets, and spec.includeDefaultRules' },
  config_files: { type: 'array', why: 'Falconer generates the whole configuration; put settings in extraConfig itself' },
  watch_config_files: { type: 'boolean', why: 'Falconer decides how Falco reloads verified rules' },
  engine: { type: 'object', why: 'set spec.driver instead' },
  priority: { type: 'string', why: 'set spec.minimumPriority instead' },
  json_output: { type: 'boolean', why: 'set spec.outputs.json instead' },
  stdout_output: { type: 'object', why: 'set spec.outputs.stdout instead' },
  file_output: { type: 'object', why: 'set spec.outputs.file instead' },
  http_output: { type: 'object', why: 'set spec.outputs.http instead' },
  program_output: { type: 'object', why: 'set spec.outputs.program instead' },
  webserver: { type: 'object', why: "the Falco pods' health probes and the status' per-node report depend on it" },
  metrics: { type: 'object', why: 'set spec.metrics instead; the status reads the sha256 and drop counters from it' },
  plugins: { type: 'objects', why: 'set spec.containerPlugin and spec.plugins instead' },
  load_plugins: { type: 'array', why: 'set spec.containerPlugin and spec.plugins instead' },
  log_stderr: { type: 'boolean', why: "Falconer reads Falco's logs from stderr" },
} as const satisfies Record<string, OwnedKey>;
export type OperatorOwnedFalcoKey = keyof typeof OPERATOR_OWNED_FALCO_KEYS;
export const OPERATOR_OWNED_FALCO_KEY_NAMES = Object.keys(OPERATOR_OWNED_FALCO_KEYS) as OperatorOwnedFalcoKey[];

export const MAX_EXTRA_CONFIG_KEYS = 64;

function ownedKeySchema(key: OperatorOwnedFalcoKey): z.ZodType {
  const { type, why } = OPERATOR_OWNED_FALCO_KEYS[key];
  const description = `Owned by Falconer and refused here: ${why}.`;
  const base =
    type === 'array'
      ? z.array(z.string().max(4096).describe('An entry.')).max(64)
      : type === 'objects'
        ? z.array(z.looseObject({}).describe('An entry.')).max(64)
        : type === 'boolean'
        ? z.boolean()
        : type === 'string'
          ? z.string().max(64)
          : z.looseObject({});
  return base.optional().describe(description);
}

function ownedKeyRule(key: OperatorOwnedFalcoKey): CheckedRule<Record<string, unknown>> {
  return {
    rule: `!has(self.${key})`,
    message: `extraConfig.${key} is owned by Falconer: ${OPERATOR_OWNED_FALCO_KEYS[key].why}`,
    fieldPath: `.${key}`,
    reason: 'FieldValueForbidden',
    holds: (config) => config[key] === undefined,
  };
}

/**
 * Free-form falco.yaml settings. The owned keys are declared (typed) only so that CEL can see
 * them: the API server hides preserved unknown fields from CEL.
 */
export const extraConfigSchema = maxProperties(
  withRules(
    z.looseObject(Object.fromEntries(OPERATOR_OWNED_FALCO_KEY_NAMES.map((k) => [k, ownedKeySchema(k)]))),
    OPERATOR_OWNED_FALCO_KEY_NAMES.map(ownedKeyRule),
  ),
  MAX_EXTRA_CONFIG_KEYS,
);
