/**
 * zod → structural OpenAPI v3 for CustomResourceDefinitions. Handles exactly the zod constructs
 * the API uses and throws on anything else, so a new construct cannot slip into a CRD as
 * something the API server would reject (`$ref`, bare `anyOf`, `additionalProperties` beside
 * `properties`, nullable) or silently validate differently from zod.
 * zod's own `z.toJSONSchema` targets JSON Schema, whose output needs as much rewriting as this.
 */
import * as z from 'zod';
import type { $ZodType, $ZodCheck } from 'zod/v4/core';
import { crdRegistry } from './meta.ts';
import type { CrdMeta } from './meta.ts';
import type { JsonValue, OpenApiSchema } from './types.ts';

interface Unwrapped {
  inner: $ZodType;
  optional: boolean;
  defaultValue?: JsonValue;
  description?: string;
  meta: CrdMeta;
}

/** Peels optional/default/prefault wrappers, collecting metadata (outer layers win). */
function unwrap(schema: $ZodType, path: string): Unwrapped {
  const layers: $ZodType[] = [];
  let current = schema;
  let optional = false;
  let defaultValue: JsonValue | undefined;
  for (;;) {
    layers.push(current);
    const def = current._zod.def;
    if (def.type === 'optional') {
      optional = true;
      current = (def as z.core.$ZodOptionalDef).innerType;
    } else if (def.type === 'default' || def.type === 'prefault') {
      optional = true;
      const d = def as z.core.$ZodDefaultDef;
      // A prefault is input: emit it parsed, with nested defaults filled in, because the API
      // server checks a default against the CEL rules as written, before nested defaulting.
      const value: unknown = def.type === 'prefault' ? z.parse(d.innerType, d.defaultValue) : d.defaultValue;
      defaultValue ??= toJson(value, path);
      current = d.innerType;
    } else break;
  }
  let description: string | undefined;
  let meta: CrdMeta = {};
  for (const layer of layers.reverse()) {
    description = z.globalRegistry.get(layer)?.description ?? description;
    meta = { ...meta, ...crdRegistry.get(layer) };
  }
  return {
    inner: current,
    optional,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(description !== undefined ? { description } : {}),
    meta,
  };
}

function toJson(value: unknown, path: string): JsonValue {
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error(`${path}: default is not JSON`);
  return JSON.parse(text) as JsonValue;
}

function checksOf(schema: $ZodType): $ZodCheck['_zod']['def'][] {
  return (schema._zod.def.checks ?? []).map((c) => c._zod.def);
}

function applyChecks(out: OpenApiSchema, schema: $ZodType, path: string): void {
  for (const check of checksOf(schema) as unknown as Record<string, unknown>[]) {
    const kind = check['check'];
    const isString = out.type === 'string';
    if (kind === 'min_length') out[isString ? 'minLength' : 'minItems'] = check['minimum'] as number;
    else if (kind === 'max_length') out[isString ? 'maxLength' : 'maxItems'] = check['maximum'] as number;
    else if (kind === 'greater_than' && check['inclusive'] === true) out.minimum = check['value'] as number;
    else if (kind === 'less_than' && check['inclusive'] === true) out.maximum = check['value'] as number;
    else if (kind === 'number_format') out.type = 'integer';
    else if (kind === 'string_format') applyFormat(out, check, path);
    else if (kind === 'custom') continue; // refinements: their CEL twins come from crdRegistry
    else throw new Error(`${path}: zod check '${String(kind)}' has no OpenAPI form`);
  }
}

function applyFormat(out: OpenApiSchema, check: Record<string, unknown>, path: string): void {
  const format = check['format'];
  if (format === 'datetime') out.format = 'date-time';
  else if (format === 'regex') {
    if (out.pattern !== undefined) throw new Error(`${path}: only one pattern per string`);
    out.pattern = (check['pattern'] as RegExp).source;
  } else throw new Error(`${path}: string format '${String(format)}' has no OpenAPI form`);
}

function convertInner(inner: $ZodType, meta: CrdMeta, path: string): OpenApiSchema {
  const def = inner._zod.def;
  switch (def.type) {
    case 'string': {
      const out: OpenApiSchema = { type: 'string' };
      // z.iso.* schemas carry their format on the def itself rather than in a check
      if ((def as { format?: string }).format !== undefined) applyFormat(out, def as unknown as Record<string, unknown>, path);
      applyChecks(out, inner, path);
      return out;
    }
    case 'number': {
      const out: OpenApiSchema = { type: 'number' };
      if ((def as z.core.$ZodNumberDef & { format?: string }).format !== undefined) out.type = 'integer';
      applyChecks(out, inner, path);
      return out;
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: Object.values((def as z.core.$ZodEnumDef).entries) };
    case 'literal':
      return { type: 'string', enum: [...(def as z.core.$ZodLiteralDef<string>).values] as JsonValue[] };
    case 'array': {
      const out: OpenApiSchema = { type: 'array', items: convert((def as z.core.$ZodArrayDef).element, `${path}[]`) };
      applyChecks(out, inner, path);
      return out;
    }
    case 'object':
      return convertObject(def as z.core.$ZodObjectDef, path);
    case 'record': {
      const d = def as z.core.$ZodRecordDef;
      if (d.keyType._zod.def.type !== 'string' || checksOf(d.keyType).length > 0) throw new Error(`${path}: record keys must be plain strings`);
      applyChecks({}, inner, path);
      return { type: 'object', additionalProperties: convert(d.valueType, `${path}{}`) };
    }
    case 'union':
      if (meta.intOrString === true) return convertIntOrString(def as z.core.$ZodUnionDef, path);
      throw new Error(`${path}: unions are only supported as int-or-string`);
    default:
      throw new Error(`${path}: zod type '${def.type}' has no structural OpenAPI form`);
  }
}

function convertObject(def: z.core.$ZodObjectDef, path: string): OpenApiSchema {
  const out: OpenApiSchema = { type: 'object' };
  const properties: Record<string, OpenApiSchema> = {};
  const required: string[] = [];
  for (const [key, child] of Object.entries(def.shape)) {
    properties[key] = convert(child, `${path}.${key}`);
    if (!unwrap(child, path).optional) required.push(key);
  }
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.length > 0) out.required = required;
  const catchall = def.catchall?._zod.def.type;
  if (catchall === 'unknown') out['x-kubernetes-preserve-unknown-fields'] = true;
  else if (catchall !== undefined && catchall !== 'never') throw new Error(`${path}: object catchall must be unknown`);
  return out;
}

function convertIntOrString(def: z.core.$ZodUnionDef, path: string): OpenApiSchema {
  const out: OpenApiSchema = {};
  for (const option of def.options) {
    const branch = convertInner(option, {}, path);
    const { type: _type, ...bounds } = branch;
    Object.assign(out, bounds);
  }
  return { ...out, anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
}

/** Converts one zod schema (and everything under it) into a structural OpenAPI schema. */
export function convert(schema: $ZodType, path = '<root>'): OpenApiSchema {
  const { inner, defaultValue, description, meta } = unwrap(schema, path);
  const body = convertInner(inner, meta, path);
  const out: OpenApiSchema = {};
  if (description !== undefined) out.description = description;
  Object.assign(out, body);
  if (defaultValue !== undefined) out.default = defaultValue;
  if (meta.maxProperties !== undefined) out.maxProperties = meta.maxProperties;
  if (meta.listType !== undefined) out['x-kubernetes-list-type'] = meta.listType;
  if (meta.listMapKeys !== undefined) out['x-kubernetes-list-map-keys'] = meta.listMapKeys;
  if (meta.mapType !== undefined) out['x-kubernetes-map-type'] = meta.mapType;
  if (meta.validations !== undefined) out['x-kubernetes-validations'] = meta.validations;
  return out;
}
