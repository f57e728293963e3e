/**
 * Where and how the Falco pods run: scheduling, resources, rollout, pod metadata.
 * Tolerations and resources are typed subsets of their core types. Affinity is passed through
 * (its three parts are preserved as written): the full core schema is large, and the API
 * server validates it anyway when the operator applies the DaemonSet; a mistake there surfaces
 * in the Degraded condition.
 */
import * as z from 'zod';
import { MAX_MAP_ENTRIES, QUANTITY, labelMap } from './common.ts';
import { LABEL_COMPONENT, LABEL_MANAGED_BY, LABEL_MONITOR, LABEL_NAME } from './names.ts';
import { boundedRecord, intOrString, withRules } from './openapi/meta.ts';

const tolerationSchema = withRules(
  z.object({
    key: z.string().max(317).optional().describe('Taint key the toleration matches; empty with Exists matches every taint.'),
    operator: z.enum(['Exists', 'Equal']).default('Equal').describe('Exists matches any value; Equal matches value.'),
    value: z.string().max(63).optional().describe('Taint value the toleration matches (with Equal).'),
    effect: z
      .enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
      .optional()
      .describe('Taint effect to match; empty matches every effect.'),
    tolerationSeconds: z.int().min(0).optional().describe('NoExecute only: how long the pod stays bound after the taint appears.'),
  }),
  [
    {
      rule: "self.operator != 'Exists' || !has(self.value) || self.value == ''",
      message: 'a toleration with operator Exists must not set value',
      fieldPath: '.value',
      holds: (t) => t.operator !== 'Exists' || (t.value ?? '') === '',
    },
    {
      rule: "!has(self.tolerationSeconds) || (has(self.effect) && self.effect == 'NoExecute')",
      message: 'tolerationSeconds is only allowed with effect NoExecute',
      fieldPath: '.tolerationSeconds',
      holds: (t) => t.tolerationSeconds === undefined || t.effect === 'NoExecute',
    },
  ],
);

const quantity = (description: string): z.ZodType =>
  intOrString(z.int().min(0), z.string().max(64).regex(QUANTITY)).describe(description);

const resourceList = (description: string): z.ZodType =>
  boundedRecord(z.string(), quantity('A quantity, e.g. 100m or 512Mi.'), 8).describe(description);

export const DEFAULT_FALCO_RESOURCES = {
  requests: { cpu: '100m', memory: '512Mi' },
  limits: { cpu: '1000m', memory: '1024Mi' },
} as const;

const resourcesSchema = z.object({
  requests: resourceList('Minimum resources, e.g. cpu: 100m, memory: 512Mi.').optional(),
  limits: resourceList('Maximum resources, e.g. memory: 1024Mi.').optional(),
});

const passthrough = (description: string): z.ZodType => z.looseObject({}).optional().describe(description);

const affinitySchema = z.object({
  nodeAffinity: passthrough('Node affinity, as in a pod spec (core/v1 NodeAffinity).'),
  podAffinity: passthrough('Pod affinity, as in a pod spec (core/v1 PodAffinity).'),
  podAntiAffinity: passthrough('Pod anti-affinity, as in a pod spec (core/v1 PodAntiAffinity).'),
});

const updateStrategySchema = withRules(
  z.object({
    type: z
      .enum(['RollingUpdate', 'OnDelete'])
      .default('RollingUpdate')
      .describe('RollingUpdate replaces Falco pods node by node; OnDelete only when a pod is deleted.'),
    maxUnavailable: intOrString(z.int().min(1), z.string().regex(/^(100|[1-9][0-9]?)%$/))
      .optional()
      .describe('RollingUpdate only: how many nodes (or what percentage) may be without Falco during a rollout; default 1.'),
  }),
  [
    {
      rule: "!has(self.maxUnavailable) || self.type == 'RollingUpdate'",
      message: 'maxUnavailable is only allowed with type RollingUpdate',
      fieldPath: '.maxUnavailable',
      holds: (s) => s.maxUnavailable === undefined || s.type === 'RollingUpdate',
    },
  ],
);

/** Labels that select Falco pods; a user value would break the selector, so they are refused. */
export const RESERVED_POD_LABELS = [LABEL_MANAGED_BY, LABEL_NAME, LABEL_COMPONENT, LABEL_MONITOR] as const;

const podLabelsSchema = withRules(labelMap('Extra labels on the Falco pods.'), [
  {
    rule: `![${RESERVED_POD_LABELS.map((l) => `'${l}'`).join(', ')}].exists(k, k in self)`,
    message: `podLabels must not set ${RESERVED_POD_LABELS.join(', ')}: Falconer selects its pods with them`,
    reason: 'FieldValueForbidden',
    holds: (labels) => RESERVED_POD_LABELS.every((l) => !(l in labels)),
  },
]);

export const podSettings = {
  nodeSelector: labelMap('Run Falco only on nodes with these labels.').optional(),
  tolerations: z
    .array(tolerationSchema.describe('One toleration.'))
    .max(MAX_MAP_ENTRIES)
    .optional()
    .describe('Taints the Falco pods tolerate; a monitoring DaemonSet usually tolerates all of them.'),
  affinity: affinitySchema.optional().describe('Scheduling constraints, as in a pod spec.'),
  resources: resourcesSchema
    .default(DEFAULT_FALCO_RESOURCES)
    .describe('Compute resources of the Falco container; defaults match the Falco Helm chart.'),
  priorityClassName: z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)
    .optional()
    .describe('PriorityClass of the Falco pods, e.g. system-node-critical.'),
  updateStrategy: updateStrategySchema.prefault({}).describe('How a change rolls out to the Falco pods.'),
  podLabels: podLabelsSchema.optional(),
  podAnnotations: boundedRecord(z.string(), z.string().max(4096).describe('An annotation value.'), MAX_MAP_ENTRIES)
    .optional()
    .describe('Extra annotations on the Falco pods.'),
};
