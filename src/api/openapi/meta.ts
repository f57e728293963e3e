/**
 * CRD-only facts attached to zod schemas: CEL rules, list and map semantics, int-or-string.
 * Descriptions use zod's own `.describe()`; everything else lives in `crdRegistry` so the zod
 * schemas stay the single source of truth for both the TypeScript types and the manifests.
 *
 * A CEL rule is declared together with `holds`, its TypeScript twin: zod runs the twin, the API
 * server runs the CEL, and the round-trip tests check that the two agree.
 */
import * as z from 'zod';
import type { CelRule } from './types.ts';

export interface CheckedRule<T> extends CelRule {
  message: string;
  holds: (value: T) => boolean;
}

export interface CrdMeta {
  validations?: CelRule[];
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
  maxProperties?: number;
  intOrString?: true;
}

export const crdRegistry = z.registry<CrdMeta>();

function addMeta(schema: z.ZodType, meta: CrdMeta): void {
  const existing = crdRegistry.get(schema) ?? {};
  const validations = [...(existing.validations ?? []), ...(meta.validations ?? [])];
  crdRegistry.add(schema, { ...existing, ...meta, ...(validations.length > 0 ? { validations } : {}) });
}

/** `.tag` → `['tag']`, `['a.b']` → `['a.b']`: the zod issue path of a CEL fieldPath. */
function issuePath(fieldPath: string | undefined): string[] {
  if (fieldPath === undefined) return [];
  return [...fieldPath.matchAll(/\.([A-Za-z0-9_-]+)|\['([^']+)'\]/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** Attaches CEL rules to a schema and the equivalent zod refinement. */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly CheckedRule<z.output<S>>[]): S {
  const checked = schema.superRefine((value, ctx) => {
    for (const r of rules) {
      if (!r.holds(value)) ctx.addIssue({ code: 'custom', message: r.message, path: issuePath(r.fieldPath), input: value });
    }
  });
  const cel = rules.map(({ holds: _holds, ...rule }): CelRule => rule);
  addMeta(checked, { validations: cel });
  return checked;
}

/** A list whose items are identified by key fields (`x-kubernetes-list-type: map`), e.g. conditions by `type`. */
export function listMap<S extends z.ZodArray>(schema: S, keys: readonly string[]): S {
  const unique = schema.superRefine((items, ctx) => {
    const seen = new Set<string>();
    for (const item of items as Record<string, unknown>[]) {
      const id = JSON.stringify(keys.map((k) => item[k]));
      if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `duplicate entry with ${keys.join(', ')} ${id}`, input: item });
      seen.add(id);
    }
  });
  addMeta(unique, { listType: 'map', listMapKeys: [...keys] });
  return unique;
}

/** A list of unique scalars (`x-kubernetes-list-type: set`). */
export function listSet<S extends z.ZodArray>(schema: S): S {
  const unique = schema.superRefine((items, ctx) => {
    if (new Set(items as unknown[]).size !== (items as unknown[]).length) ctx.addIssue({ code: 'custom', message: 'entries must be unique', input: items });
  });
  addMeta(unique, { listType: 'set' });
  return unique;
}

/** An object or map with at most `max` keys (`maxProperties`; zod has no such check of its own). */
export function maxProperties<S extends z.ZodType>(schema: S, max: number): S {
  const bounded = schema.superRefine((value, ctx) => {
    if (Object.keys(value as object).length > max) ctx.addIssue({ code: 'custom', message: `must have at most ${max} entries`, input: value });
  });
  addMeta(bounded, { maxProperties: max });
  return bounded;
}

/** A string-keyed map with at most `max` entries. */
export function boundedRecord<V extends z.ZodType>(key: z.ZodString, value: V, max: number): z.ZodRecord<z.ZodString, V> {
  return maxProperties(z.record(key, value), max);
}

/** Kubernetes' IntOrString: an integer or a string, e.g. `1` or `"10%"`. */
export function intOrString(int: z.ZodNumber, str: z.ZodString): z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> {
  const union = z.union([int, str]);
  addMeta(union, { intOrString: true });
  return union;
}
