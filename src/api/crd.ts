/**
 * Builds the two CustomResourceDefinitions from the zod schemas. Plain JSON (not client-node
 * model classes): client-node's typed serializer renames `x-kubernetes-*` keys, so these
 * objects are sent as-is (see install.ts) and written as YAML by the generator.
 */
import * as z from 'zod';
import { falcoMonitorSchema } from './monitor.ts';
import {
  API_CATEGORY,
  API_GROUP,
  API_VERSION,
  MONITOR_KIND,
  MONITOR_PLURAL,
  MONITOR_SHORT_NAME,
  RULESET_KIND,
  RULESET_PLURAL,
  RULESET_SHORT_NAME,
} from './names.ts';
import { crdMetadataSchema } from './object-meta.ts';
import { convert } from './openapi/convert.ts';
import type { OpenApiSchema } from './openapi/types.ts';
import { falcoRuleSetSchema } from './ruleset.ts';

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'string' | 'date' | 'boolean';
  jsonPath: string;
  description: string;
  priority?: number;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames: string[]; categories: string[] };
    scope: 'Namespaced';
    versions: {
      name: string;
      served: true;
      storage: true;
      schema: { openAPIV3Schema: OpenApiSchema };
      subresources: { status: Record<string, never> };
      additionalPrinterColumns: PrinterColumn[];
    }[];
  };
}

const condition = (type: string): string => `.status.conditions[?(@.type=="${type}")].status`;
const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since creation.' };

interface KindDefinition {
  kind: string;
  plural: string;
  shortName: string;
  description: string;
  resource: z.ZodObject<{ spec: z.ZodType; status: z.ZodType }>;
  columns: PrinterColumn[];
}

function rootSchema(def: KindDefinition): OpenApiSchema {
  const { spec, status } = def.resource.shape;
  return {
    type: 'object',
    description: def.description,
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this object: falconer.dev/v1alpha1.' },
      kind: { type: 'string', description: `Kind of this object: ${def.kind}.` },
      metadata: convert(crdMetadataSchema, 'metadata'),
      spec: convert(spec, 'spec'),
      status: convert(status, 'status'),
    },
    required: ['spec'],
  };
}

function buildCrd(def: KindDefinition): CustomResourceDefinition {
  const singular = def.kind.toLowerCase();
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular,
        shortNames: [def.shortName],
        categories: [API_CATEGORY],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: rootSchema(def) },
          subresources: { status: {} },
          additionalPrinterColumns: def.columns,
        },
      ],
    },
  };
}

export function ruleSetCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: RULESET_KIND,
    plural: RULESET_PLURAL,
    shortName: RULESET_SHORT_NAME,
    description:
      "FalcoRuleSet holds Falco rules, macros and lists in Falco's own YAML. Falconer checks them statically and with a real Falco before any FalcoMonitor loads them.",
    resource: falcoRuleSetSchema,
    columns: [
      { name: 'Rules', type: 'integer', jsonPath: '.status.counts.rules', description: 'Rules defined.' },
      { name: 'Macros', type: 'integer', jsonPath: '.status.counts.macros', description: 'Macros defined.' },
      { name: 'Lists', type: 'integer', jsonPath: '.status.counts.lists', description: 'Lists defined.' },
      { name: 'Valid', type: 'string', jsonPath: condition('Valid'), description: 'The static check passed.' },
      { name: 'Verified', type: 'string', jsonPath: condition('Verified'), description: 'A real Falco accepted the rules.' },
      { name: 'Live-Nodes', type: 'integer', jsonPath: '.status.liveNodes', description: 'Nodes whose Falco loaded these rules.' },
      { name: 'Order', type: 'integer', jsonPath: '.spec.loadOrder', description: 'Load order among rule sets.', priority: 1 },
      { name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled', description: 'Whether monitors load it.', priority: 1 },
      age,
    ],
  });
}

export function monitorCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: MONITOR_KIND,
    plural: MONITOR_PLURAL,
    shortName: MONITOR_SHORT_NAME,
    description:
      'FalcoMonitor runs Falco on the nodes of the cluster as a DaemonSet, loads the verified rule sets it selects, and reports how that went.',
    resource: falcoMonitorSchema,
    columns: [
      { name: 'Desired', type: 'integer', jsonPath: '.status.desiredNodes', description: 'Nodes that should run Falco.' },
      { name: 'Ready-Nodes', type: 'integer', jsonPath: '.status.readyNodes', description: 'Nodes where Falco is ready.' },
      { name: 'Loaded', type: 'string', jsonPath: '.status.loaded', description: "Nodes whose Falco reports the intended bundle and config, of the desired nodes." },
      { name: 'Falco', type: 'string', jsonPath: '.status.falcoVersion', description: 'Falco version running.' },
      { name: 'Applied', type: 'integer', jsonPath: '.status.appliedRuleSetCount', description: 'Rule sets in effect.' },
      { name: 'Rejected', type: 'integer', jsonPath: '.status.rejectedRuleSetCount', description: 'Selected rule sets left out.' },
      { name: 'Ready', type: 'string', jsonPath: condition('Ready'), description: 'Falco runs everywhere with the bundle in effect.' },
      { name: 'Rules-Loaded', type: 'string', jsonPath: condition('RulesLoaded'), description: 'Every node reports the intended bundle and config.', priority: 1 },
      { name: 'Updated', type: 'integer', jsonPath: '.status.updatedNodes', description: 'Nodes on the current template.', priority: 1 },
      { name: 'Suspended', type: 'boolean', jsonPath: '.spec.suspend', description: 'Reconciliation is suspended.', priority: 1 },
      age,
    ],
  });
}

/** Both CRDs, rule sets first (monitors refer to them). */
export function allCrds(): CustomResourceDefinition[] {
  return [ruleSetCrd(), monitorCrd()];
}
