/**
 * Small shapes both kinds share: object references, label selectors, resource quantities.
 * Each is a reasonable subset of its Kubernetes core counterpart, bounded so CEL cost estimates
 * stay low and no object can approach etcd's request limit.
 */
import * as z from 'zod';
import { boundedRecord, listSet, withRules } from './openapi/meta.ts';

/** DNS-1123 subdomain: the names of ConfigMaps, Secrets and most objects. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1123 label: names that also end up in label values and generated child names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const objectName = (): z.ZodString => z.string().min(1).max(253).regex(DNS_SUBDOMAIN);

/** A key of a ConfigMap or Secret (the same character set Kubernetes allows there). */
export const dataKey = (): z.ZodString =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(/^[-._a-zA-Z0-9]+$/);

export const configMapKeyRefSchema = z.object({
  name: objectName().describe('Name of the ConfigMap, in the same namespace as this object.'),
  key: dataKey().describe('Key in the ConfigMap whose value is used.'),
});

export const secretKeyRefSchema = z.object({
  name: objectName().describe('Name of the Secret, in the same namespace as this object.'),
  key: dataKey().describe('Key in the Secret whose value is used.'),
});

export const MAX_MAP_ENTRIES = 32;
const labelKey = 317; // 253-character prefix + '/' + 63-character name
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A string map of labels (keys checked by CEL: zod record keys cannot carry OpenAPI bounds). */
export function labelMap(description: string): z.ZodType<Record<string, string>> {
  const map = boundedRecord(z.string(), z.string().max(63).regex(LABEL_VALUE).describe('A label value.'), MAX_MAP_ENTRIES);
  return withRules(map, [
    {
      rule: `self.all(k, size(k) <= ${labelKey})`,
      message: `label keys must be at most ${labelKey} characters`,
      holds: (m) => Object.keys(m).every((k) => k.length <= labelKey),
    },
  ]).describe(description);
}

const selectorOperator = z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']);

const labelSelectorRequirement = withRules(
  z.object({
    key: z.string().min(1).max(labelKey).describe('The label key the requirement applies to.'),
    operator: selectorOperator.describe('How the key relates to the values: In, NotIn, Exists or DoesNotExist.'),
    values: listSet(z.array(z.string().max(63).describe('A label value.')).max(MAX_MAP_ENTRIES))
      .optional()
      .describe('Label values; required (non-empty) for In and NotIn, absent for Exists and DoesNotExist.'),
  }),
  [
    {
      rule: "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0) : !has(self.values) || size(self.values) == 0",
      message: 'values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist',
      fieldPath: '.values',
      holds: (r) => (r.operator === 'In' || r.operator === 'NotIn' ? (r.values?.length ?? 0) > 0 : (r.values?.length ?? 0) === 0),
    },
  ],
);

/** metav1.LabelSelector: `{}` matches everything, as in every Kubernetes selector. */
export const labelSelectorSchema = z.object({
  matchLabels: labelMap('Labels that must all be present with these values.').optional(),
  matchExpressions: z
    .array(labelSelectorRequirement.describe('One label requirement.'))
    .max(16)
    .optional()
    .describe('Requirements that must all hold.'),
});
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

/** A Kubernetes resource quantity such as `100m`, `512Mi` or `2` (same grammar as the API server's). */
export const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
