/**
 * A small in-process model of what the API server does with a custom resource before CEL:
 * prune unknown fields, apply schema defaults, then check types, enums, bounds, patterns,
 * required fields and list-map keys. Only the constructs our converter emits are understood.
 * CEL is not evaluated here; the integration tests leave that to the real API server.
 */
import type { JsonValue, OpenApiSchema } from '../../../src/api/openapi/types.ts';

type Json = JsonValue;
const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Drops fields the schema does not know, as the API server's pruning does. */
export function prune(value: Json, schema: OpenApiSchema): Json {
  if (Array.isArray(value)) return schema.items !== undefined ? value.map((v) => prune(v, schema.items as OpenApiSchema)) : value;
  if (!isObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
    if (childSchema !== undefined) out[key] = prune(child, childSchema);
    else if (schema['x-kubernetes-preserve-unknown-fields'] === true) out[key] = child;
  }
  return out;
}

/** Fills absent properties that have a default, recursing into the result (as the API server does). */
export function applyDefaults(value: Json, schema: OpenApiSchema): Json {
  if (Array.isArray(value)) return schema.items !== undefined ? value.map((v) => applyDefaults(v, schema.items as OpenApiSchema)) : value;
  if (!isObject(value)) return value;
  const out: Record<string, Json> = { ...value };
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && child.default !== undefined) out[key] = structuredClone(child.default);
    if (out[key] !== undefined) out[key] = applyDefaults(out[key], child);
  }
  if (schema.additionalProperties !== undefined) {
    for (const key of Object.keys(out)) out[key] = applyDefaults(out[key] as Json, schema.additionalProperties);
  }
  return out;
}

function typeErrors(value: Json, schema: OpenApiSchema, path: string): string[] {
  if (schema['x-kubernetes-int-or-string'] === true) {
    return Number.isInteger(value) || typeof value === 'string' ? [] : [`${path}: must be an integer or a string`];
  }
  const ok =
    (schema.type === 'object' && isObject(value)) ||
    (schema.type === 'array' && Array.isArray(value)) ||
    (schema.type === 'string' && typeof value === 'string') ||
    (schema.type === 'integer' && Number.isInteger(value)) ||
    (schema.type === 'number' && typeof value === 'number') ||
    (schema.type === 'boolean' && typeof value === 'boolean');
  return ok ? [] : [`${path}: must be of type ${String(schema.type)}`];
}

function scalarErrors(value: Json, schema: OpenApiSchema, path: string): string[] {
  const errors: string[] = [];
  if (schema.enum !== undefined && !schema.enum.some((e) => e === value)) errors.push(`${path}: unsupported value`);
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) errors.push(`${path}: too short`);
    if (schema.maxLength !== undefined && length > schema.maxLength) errors.push(`${path}: too long`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: does not match pattern`);
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${path}: not a date-time`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above maximum`);
  }
  return errors;
}

function listErrors(value: Json[], schema: OpenApiSchema, path: string): string[] {
  const errors: string[] = [];
  if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: too few items`);
  if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: too many items`);
  const keys = schema['x-kubernetes-list-map-keys'];
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set' || listType === 'map') {
    const ids = value.map((v) => JSON.stringify(listType === 'map' && isObject(v) ? (keys ?? []).map((k) => v[k]) : v));
    if (new Set(ids).size !== ids.length) errors.push(`${path}: duplicate entries`);
  }
  value.forEach((v, i) => errors.push(...validate(v, schema.items ?? {}, `${path}[${i}]`)));
  return errors;
}

function objectErrors(value: Record<string, Json>, schema: OpenApiSchema, path: string): string[] {
  const errors: string[] = [];
  for (const key of schema.required ?? []) if (value[key] === undefined) errors.push(`${path}.${key}: required`);
  if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties) errors.push(`${path}: too many properties`);
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
    if (childSchema !== undefined) errors.push(...validate(child, childSchema, `${path}.${key}`));
  }
  return errors;
}

/** Schema errors (not CEL) of a pruned, defaulted value; empty when valid. */
export function validate(value: Json, schema: OpenApiSchema, path = ''): string[] {
  const typed = typeErrors(value, schema, path);
  if (typed.length > 0) return typed;
  if (Array.isArray(value)) return listErrors(value, schema, path);
  if (isObject(value)) return objectErrors(value, schema, path);
  return scalarErrors(value, schema, path);
}

/** What the API server would store, or its schema errors: prune, default, validate. */
export function admit(value: Json, schema: OpenApiSchema): { object: Json; errors: string[] } {
  const object = applyDefaults(prune(value, schema), schema);
  return { object, errors: validate(object, schema).map((e) => e.replace(/^\./, '')) };
}
