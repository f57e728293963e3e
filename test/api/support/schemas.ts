/** The zod schema and generated OpenAPI schema of each kind, side by side, for the tests. */
import type { z } from 'zod';
import { monitorCrd, ruleSetCrd } from '../../../src/api/crd.ts';
import { falcoMonitorSchema } from '../../../src/api/monitor.ts';
import { falcoRuleSetSchema } from '../../../src/api/ruleset.ts';
import type { OpenApiSchema } from '../../../src/api/openapi/types.ts';

export interface KindSchemas {
  zod: z.ZodType;
  openapi: OpenApiSchema;
}

function root(crd: ReturnType<typeof ruleSetCrd>): OpenApiSchema {
  const version = crd.spec.versions[0];
  if (version === undefined) throw new Error(`${crd.metadata.name} has no version`);
  return version.schema.openAPIV3Schema;
}

export const SCHEMAS: Record<'FalcoRuleSet' | 'FalcoMonitor', KindSchemas> = {
  FalcoRuleSet: { zod: falcoRuleSetSchema, openapi: root(ruleSetCrd()) },
  FalcoMonitor: { zod: falcoMonitorSchema, openapi: root(monitorCrd()) },
};

/** `['spec', 'tolerations', 0, 'value']` → `spec.tolerations[0].value`, as the API server prints paths. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}
