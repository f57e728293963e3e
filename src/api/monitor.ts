/**
 * FalcoMonitor: one Falco DaemonSet, the rule sets it loads, and its honest status.
 * Rule sets are selected in the monitor's own namespace: by name, by label selector, or both
 * (a rule set is selected if either matches; `selector: {}` selects every rule set).
 */
import { z } from 'zod';
import { labelSelectorSchema } from './common.ts';
import { conditionsSchema } from './conditions.ts';
import { FALCO_PRIORITIES, extraConfigSchema } from './falco-config.ts';
import { DEFAULT_FALCO_TAG, driverSchema, imageSchema } from './monitor-image.ts';
import { containerPluginSchema, pluginsSchema } from './monitor-plugins.ts';
import { outputsSchema } from './monitor-outputs.ts';
import { podSettings } from './monitor-pod.ts';
import { API_GROUP_VERSION, MONITOR_KIND } from './names.ts';
import { objectNameSchema, objectMetaSchema } from './object-meta.ts';
import { listMap, listSet, withRules } from './openapi/meta.ts';
import { contentHash } from './ruleset.ts';

export const MAX_SELECTED_NAMES = 64;
export const MAX_RULE_SET_ENTRIES = 128;

const ruleSetSelectionSchema = z.object({
  names: listSet(z.array(objectNameSchema).max(MAX_SELECTED_NAMES))
    .optional()
    .describe('Names of FalcoRuleSets in this namespace to load.'),
  selector: labelSelectorSchema
    .optional()
    .describe('Label selector of FalcoRuleSets in this namespace to load; {} selects all of them.'),
});

export const monitorSpecSchema = withRules(z.object({
  image: imageSchema.prefault({ tag: DEFAULT_FALCO_TAG }).describe('The Falco image. Defaults to the pinned Falco release.'),
  driver: driverSchema.prefault({}).describe('How Falco reads kernel events.'),
  ruleSets: ruleSetSelectionSchema
    .optional()
    .describe('Which FalcoRuleSets to load, in addition to the default rules. Without it no rule set is loaded.'),
  includeDefaultRules: z
    .boolean()
    .default(true)
    .describe("Load the rules shipped in the Falco image (falco_rules.yaml) before the selected rule sets."),
  minimumPriority: z
    .enum(FALCO_PRIORITIES)
    .default('Debug')
    .describe('Least severe priority of the rules that run (falco.yaml priority); Debug runs every rule.'),
  outputs: outputsSchema.prefault({}).describe('Where alerts go.'),
  containerPlugin: containerPluginSchema.prefault({}).describe('The container plugin: container and pod metadata for syscall events.'),
  plugins: pluginsSchema.optional(),
  extraConfig: extraConfigSchema
    .optional()
    .describe('Further falco.yaml settings, merged into the generated configuration. Keys Falconer owns are refused.'),
  ...podSettings,
  suspend: z
    .boolean()
    .default(false)
    .describe('Take Falco off the nodes without deleting the monitor: the DaemonSet is removed, the configuration, bundles and status stay, and setting suspend back to false rolls Falco out again with the last good rules.'),
}), [
  {
    rule: "self.driver.kind != 'kmod' || !has(self.image.digest) || has(self.driver.loaderImage)",
    message: 'driver.loaderImage is required when driver.kind is kmod and image is pinned by digest: a digest cannot name the matching falco-driver-loader image',
    fieldPath: '.driver.loaderImage',
    reason: 'FieldValueRequired',
    holds: (s) => s.driver.kind !== 'kmod' || s.image.digest === undefined || s.driver.loaderImage !== undefined,
  },
]);
export type MonitorSpec = z.infer<typeof monitorSpecSchema>;

const appliedRuleSetSchema = z.object({
  name: objectNameSchema.describe('Name of the rule set.'),
  contentHash: contentHash().describe('contentHash of the rule set as loaded.'),
});

const rejectedRuleSetSchema = z.object({
  name: objectNameSchema.describe('Name of the rule set.'),
  reason: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Z][A-Za-z0-9]*$/)
    .describe('PascalCase reason, e.g. NotValid, VerificationFailed, Disabled.'),
  message: z.string().max(512).describe('Why it was left out, a full sentence.'),
});

const count = (description: string) => z.int().min(0).optional().describe(description);

export const monitorStatusSchema = z.object({
  observedGeneration: z.int().min(0).optional().describe('metadata.generation this status describes.'),
  conditions: conditionsSchema.optional(),
  desiredNodes: count('Nodes that should run Falco.'),
  readyNodes: count('Nodes where Falco is running and ready.'),
  updatedNodes: count('Nodes running the current pod template.'),
  availableNodes: count('Nodes where Falco has been ready long enough to count as available.'),
  falcoVersion: z.string().max(64).optional().describe('Falco version reported by the running image.'),
  image: z.string().max(512).optional().describe('Image reference of the Falco pods.'),
  bundleHash: contentHash().optional().describe('Hash of the rules bundle in effect on the nodes.'),
  appliedRuleSets: listMap(z.array(appliedRuleSetSchema.describe('One applied rule set.')).max(MAX_RULE_SET_ENTRIES), ['name'])
    .optional()
    .describe('Rule sets in the bundle in effect, in load order.'),
  rejectedRuleSets: listMap(z.array(rejectedRuleSetSchema.describe('One rejected rule set.')).max(MAX_RULE_SET_ENTRIES), ['name'])
    .optional()
    .describe('Selected rule sets left out of the bundle, and why.'),
  appliedRuleSetCount: count('Number of entries in appliedRuleSets (for kubectl get).'),
  rejectedRuleSetCount: count('Number of entries in rejectedRuleSets (for kubectl get).'),
});
export type MonitorStatus = z.infer<typeof monitorStatusSchema>;

export const falcoMonitorSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal(MONITOR_KIND),
  metadata: objectMetaSchema,
  spec: monitorSpecSchema.describe('How Falco runs, which rules it loads and where its alerts go.'),
  status: monitorStatusSchema.optional().describe('What Falconer observed. Written by the operator.'),
});
export type FalcoMonitor = z.infer<typeof falcoMonitorSchema>;
