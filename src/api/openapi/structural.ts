/**
 * Checks that a generated schema is one the API server accepts as structural, documented and
 * cheap for CEL: every node typed (int-or-string excepted), every property described, no
 * `additionalProperties` beside `properties`, `anyOf` only in the int-or-string form, and every
 * list, map and string bounded (CEL cost estimates multiply these bounds). The generator
 * refuses to write a CRD with problems; the tests assert there are none.
 */
import type { OpenApiSchema } from './types.ts';

const INT_OR_STRING = JSON.stringify([{ type: 'integer' }, { type: 'string' }]);

function checkNode(node: OpenApiSchema, path: string, problems: string[], isRoot = false): void {
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  if (intOrString) {
    if (JSON.stringify(node.anyOf) !== INT_OR_STRING || node.type !== undefined) problems.push(`${path}: malformed int-or-string`);
  } else {
    if (node.type === undefined) problems.push(`${path}: no type`);
    if (node.anyOf !== undefined) problems.push(`${path}: anyOf outside int-or-string`);
  }
  if (node.properties !== undefined && node.additionalProperties !== undefined) problems.push(`${path}: properties and additionalProperties`);
  if (node.type === 'array' && node.maxItems === undefined) problems.push(`${path}: array without maxItems`);
  if (node.additionalProperties !== undefined && node.maxProperties === undefined) problems.push(`${path}: map without maxProperties`);
  if (node.type === 'string' && node.maxLength === undefined && node.enum === undefined && node.format !== 'date-time') {
    problems.push(`${path}: string without maxLength`);
  }
  if (intOrString && node.maxLength === undefined && node.pattern === undefined) problems.push(`${path}: int-or-string string branch unbounded`);
  if (node['x-kubernetes-list-type'] === 'map') checkListMap(node, path, problems);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    // metadata is the API server's own (it refuses a description there); apiVersion and kind are
    // set by the API machinery and never read by CEL
    if (isRoot && key === 'metadata') continue;
    if (child.description === undefined || child.description.trim() === '') problems.push(`${path}.${key}: no description`);
    if (isRoot && (key === 'apiVersion' || key === 'kind')) continue;
    checkNode(child, `${path}.${key}`, problems);
  }
  if (node.items !== undefined) checkNode(node.items, `${path}[]`, problems);
  if (node.additionalProperties !== undefined) checkNode(node.additionalProperties, `${path}{}`, problems);
}

function checkListMap(node: OpenApiSchema, path: string, problems: string[]): void {
  const item = node.items;
  for (const key of node['x-kubernetes-list-map-keys'] ?? []) {
    const keySchema = item?.properties?.[key];
    if (keySchema === undefined) problems.push(`${path}: list-map key ${key} is not a property`);
    else if (!(item?.required ?? []).includes(key) && keySchema.default === undefined) {
      problems.push(`${path}: list-map key ${key} must be required or defaulted`);
    }
  }
}

/** Everything wrong with a CRD's openAPIV3Schema; empty when it is fine. */
export function structuralProblems(schema: OpenApiSchema, path = '<root>'): string[] {
  const problems: string[] = [];
  if (schema.description === undefined) problems.push(`${path}: no description`);
  checkNode(schema, path, problems, true);
  return problems;
}
