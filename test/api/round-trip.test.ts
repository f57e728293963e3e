/**
 * zod and the generated OpenAPI agree: what one accepts the other accepts (with the same
 * defaults filled in), and what one rejects the other rejects at the same field. CEL-only rules
 * are checked against zod here and against the real API server in crds.int.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import type { JsonValue, OpenApiSchema } from '../../src/api/openapi/types.ts';
import { INVALID_CASES, INVALID_STATUS_CASES, baseMonitor, baseRuleSet, objectOf } from './support/cases.ts';
import type { Obj } from './support/cases.ts';
import { exampleObjects } from './support/examples.ts';
import { admit } from './support/openapi-validator.ts';
import { SCHEMAS, formatPath } from './support/schemas.ts';
import { VALID_MONITOR_SPECS, VALID_RULESET_SPECS, VALID_STATUSES } from './support/valid-cases.ts';

type Kind = keyof typeof SCHEMAS;

function propertyOf(kind: Kind, name: 'spec' | 'status'): OpenApiSchema {
  const schema = SCHEMAS[kind].openapi.properties?.[name];
  if (schema === undefined) throw new Error(`${kind} has no ${name}`);
  return schema;
}

function zodIssuePaths(schema: z.ZodType, object: unknown): string[] | undefined {
  const result = schema.safeParse(object);
  return result.success ? undefined : result.error.issues.map((i) => formatPath(i.path));
}

function assertBothAccept(kind: Kind, object: Obj): void {
  const parsed = SCHEMAS[kind].zod.safeParse(object);
  assert.ok(parsed.success, parsed.success ? '' : `zod rejected: ${parsed.error.message}`);
  const out = parsed.data as Obj;
  for (const key of ['spec', 'status'] as const) {
    if (object[key] === undefined) continue;
    const admitted = admit(object[key] as JsonValue, propertyOf(kind, key));
    assert.deepEqual(admitted.errors, [], `OpenAPI rejected ${key}`);
    assert.deepEqual(admitted.object, JSON.parse(JSON.stringify(out[key])), `${key} after defaulting differs between zod and OpenAPI`);
  }
}

describe('objects valid for zod are valid for the OpenAPI schema, with the same defaults', () => {
  for (const { file, object } of exampleObjects()) {
    test(`example ${file}`, () => assertBothAccept(object['kind'] as Kind, object));
  }
  VALID_RULESET_SPECS.forEach(([name, spec]) => test(`rule set: ${name}`, () => assertBothAccept('FalcoRuleSet', baseRuleSet('rs', spec))));
  VALID_MONITOR_SPECS.forEach(([name, spec]) => test(`monitor: ${name}`, () => assertBothAccept('FalcoMonitor', baseMonitor('mon', spec))));
  VALID_STATUSES.forEach(([name, kind, status]) =>
    test(`status: ${name}`, () => assertBothAccept(kind, { ...(kind === 'FalcoRuleSet' ? baseRuleSet() : baseMonitor()), status })),
  );
});

describe('invalid objects are rejected at the named field', () => {
  for (const c of INVALID_CASES) {
    test(`${c.kind}: ${c.name}`, () => {
      const object = objectOf(c);
      const zodPaths = zodIssuePaths(SCHEMAS[c.kind].zod, object);
      assert.ok(zodPaths !== undefined, 'zod accepted it');
      assert.ok(zodPaths.some((p) => p.startsWith(c.field)), `zod issues at ${zodPaths.join(', ')}, expected ${c.field}`);
      if (c.cel || c.field.startsWith('metadata')) return;
      const errors = admit(object['spec'] as JsonValue, propertyOf(c.kind, 'spec')).errors.map((e) => `spec.${e}`);
      assert.ok(errors.some((e) => e.startsWith(c.field)), `OpenAPI errors: ${errors.join('; ') || 'none'}`);
    });
  }
  for (const c of INVALID_STATUS_CASES) {
    test(`${c.kind} status: ${c.name}`, () => {
      const object = { ...(c.kind === 'FalcoRuleSet' ? baseRuleSet() : baseMonitor()), status: c.status };
      const zodPaths = zodIssuePaths(SCHEMAS[c.kind].zod, object);
      assert.ok(zodPaths?.some((p) => p.startsWith(c.field)), `zod issues at ${zodPaths?.join(', ') ?? 'none'}`);
      const errors = admit(c.status as JsonValue, propertyOf(c.kind, 'status')).errors.map((e) => `status.${e}`);
      assert.ok(errors.some((e) => e.startsWith(c.field)), `OpenAPI errors: ${errors.join('; ') || 'none'}`);
    });
  }
});
