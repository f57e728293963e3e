/**
 * FalcoMonitor: one Falco DaemonSet, the rule sets it loads, and its honest status.
 * Rule sets are selected in the monitor's own namespace: by name, by label selector, or both
 * (a rule set is selected if either matches; `selector: {}` selects every rule set).
 */
import * as z from 'zod';
import { labelSelectorSchema } from './common.ts';
import { conditionsSchema } from './conditions.ts';
import { FALCO_PRIORITIES, extraConfigSchema } from './falco-config.ts';
import { DEFAULT_FALCO_TAG, driverSchema, imageSchema } from './monitor-image.ts';
import { falcoMetricsSchema } from './monitor-metrics.ts';
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
  metrics: falcoMetricsSchema
    .prefault({})
    .describe("Falco's Prometheus metrics. The sha256, rules and kernel event counters are always on: the status reads them to tell what each node loaded."),
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

export const MAX_NODE_ENTRIES = 32;

const sha256Hex = z.string().min(64).max(64).regex(/^[a-f0-9]{64}$/).describe('sha256 of the file, as Falco reports it.');

const loadedFileSchema = z.object({
  name: z.string().min(1).max(253).describe('File name as Falco reports it (no directory).'),
  sha256: sha256Hex,
});

const nodeReportSchema = z.object({
  node: z.string().min(1).max(253).describe('Node name.'),
  pod: z.string().max(253).optional().describe('The Falco pod on the node.'),
  state: z
    .enum(['Drifted', 'Outdated', 'NoMetrics'])
    .describe('Drifted: the pod is on the current template but Falco loaded other files. Outdated: the pod still runs an earlier template. NoMetrics: Falco did not answer on /metrics.'),
  falcoVersion: z.string().max(64).optional().describe('Falco version the node reports.'),
  bundleHash: contentHash().optional().describe('The earlier bundle whose files the node loaded, when the operator recognises it.'),
  configSha256: sha256Hex.optional().describe('sha256 of the falco.yaml Falco loaded.'),
  rulesFiles: listMap(z.array(loadedFileSchema.describe('One loaded rules file.')).max(MAX_RULE_SET_ENTRIES + 1), ['name'])
    .optional()
    .describe('The rules files Falco loaded, with their sha256.'),
  message: z.string().max(512).optional().describe('What differs, or why the metrics could not be read.'),
});

const versionCountSchema = z.object({
  version: z.string().min(1).max(64).describe('A Falco version.'),
  nodes: z.int().min(0).describe('Nodes that report it.'),
});

const goodTemplateSchema = z.object({
  hash: contentHash().describe('Hash of the pod template (its falconer.dev/template-hash annotation).'),
  bundleHash: contentHash().describe('The rules bundle that template mounts.'),
  configHash: contentHash().describe('The falco.yaml that template mounts.'),
});

const failedTemplateSchema = z.object({
  hash: contentHash().describe('Hash of the pod template whose Falco crash-looped.'),
  generation: z.int().min(0).describe('metadata.generation of the spec that rendered it.'),
  pod: z.string().max(253).describe('A pod that crash-looped on it.'),
  message: z.string().max(512).describe("The pod's last error (Falco's last line, or why the container could not start)."),
});

const count = (description: string) => z.int().min(0).optional().describe(description);

export const monitorStatusSchema = z.object({
  observedGeneration: z.int().min(0).optional().describe('metadata.generation this status describes.'),
  conditions: conditionsSchema.optional(),
  desiredNodes: count('Nodes that should run Falco.'),
  readyNodes: count('Nodes where Falco is running and ready.'),
  updatedNodes: count('Nodes running the current pod template.'),
  availableNodes: count('Nodes where Falco has been ready long enough to count as available.'),
  falcoVersion: z.string().max(64).optional().describe("Falco version the nodes report on /metrics when they agree; otherwise the one the verification pods of this image logged."),
  image: z.string().max(512).optional().describe('Image reference of the Falco pods.'),
  modelledFalcoVersion: z
    .string()
    .max(64)
    .optional()
    .describe("The Falco release whose rules loader the static check of this monitor's rule sets modelled (from the image tag), or 'none' when the image names no modelled release: then version-dependent findings are warnings and the verification Job decides."),
  bundleHash: contentHash().optional().describe('Hash of the rules bundle in effect on the nodes.'),
  appliedRuleSets: listMap(z.array(appliedRuleSetSchema.describe('One applied rule set.')).max(MAX_RULE_SET_ENTRIES), ['name'])
    .optional()
    .describe('Rule sets in the bundle in effect, in load order.'),
  rejectedRuleSets: listMap(z.array(rejectedRuleSetSchema.describe('One rejected rule set.')).max(MAX_RULE_SET_ENTRIES), ['name'])
    .optional()
    .describe('Selected rule sets left out of the bundle, and why.'),
  loadedNodes: count('Nodes whose Falco reports, on its own /metrics, exactly the intended rules bundle and falco.yaml (by sha256).'),
  loaded: z.string().max(32).optional().describe('loadedNodes/desiredNodes, for kubectl get.'),
  nodeReports: z
    .enum(['Falco', 'Simulated'])
    .optional()
    .describe("Where the per-node figures came from: Falco's metrics endpoint, or a test responder on simulated nodes."),
  notLoadedNodes: listMap(z.array(nodeReportSchema.describe('One node that does not run the intended bundle and config.')).max(MAX_NODE_ENTRIES), ['node'])
    .optional()
    .describe(`Nodes that do not run exactly the intended bundle and config, and what they run instead (at most ${MAX_NODE_ENTRIES}; notLoadedNodeCount has the total).`),
  notLoadedNodeCount: count('Number of nodes that do not run exactly the intended bundle and config.'),
  falcoVersions: listMap(z.array(versionCountSchema.describe('One Falco version and how many nodes run it.')).max(16), ['version'])
    .optional()
    .describe('Falco versions the nodes report on their metrics endpoint, with node counts.'),
  eventDrops: count('Kernel events Falco dropped (falcosecurity_scap_n_drops_total) across nodes, counted while drops keep coming (they clear 10 minutes after the last one).'),
  lastGoodTemplate: goodTemplateSchema
    .optional()
    .describe('The last pod template that ran Ready on every node: what the operator returns to when a new one crash-loops.'),
  failedTemplate: failedTemplateSchema
    .optional()
    .describe('A pod template whose Falco crash-looped and was rolled back to lastGoodTemplate; it is not applied again until the spec (or the verified bundle) changes.'),
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
