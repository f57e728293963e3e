import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allCrds } from '../../src/api/crd.ts';
import { API_CATEGORY, API_GROUP, API_VERSION } from '../../src/api/names.ts';
import { structuralProblems } from '../../src/api/openapi/structural.ts';
import type { OpenApiSchema } from '../../src/api/openapi/types.ts';

function schemaAt(root: OpenApiSchema, jsonPath: string): OpenApiSchema | undefined {
  const fields = jsonPath.replace(/\[\?\(.*?\)\]/g, '').split('.').filter(Boolean);
  let node: OpenApiSchema | undefined = root;
  for (const field of fields) node = node?.properties?.[field] ?? node?.items?.properties?.[field];
  return node;
}

for (const crd of allCrds()) {
  const name = crd.metadata.name;
  const version = crd.spec.versions[0];
  assert.ok(version);
  const root = version.schema.openAPIV3Schema;

  test(`${name}: structural, fully described and bounded`, () => {
    assert.deepEqual(structuralProblems(root), []);
  });

  test(`${name}: uses none of the constructs the API server or Argo CD object to`, () => {
    const text = JSON.stringify(crd);
    for (const forbidden of ['"$ref"', '"nullable"', '"preserveUnknownFields"', '"oneOf"', '"allOf"', '"not"', '"propertyNames"']) {
      assert.ok(!text.includes(forbidden), `${forbidden} in ${name}`);
    }
  });

  test(`${name}: names, scope, status subresource and category`, () => {
    assert.equal(crd.spec.group, API_GROUP);
    assert.equal(crd.spec.scope, 'Namespaced');
    assert.equal(version.name, API_VERSION);
    assert.deepEqual(version.subresources, { status: {} });
    assert.deepEqual(crd.spec.names.categories, [API_CATEGORY]);
    assert.equal(crd.spec.names.shortNames.length, 1);
  });

  test(`${name}: every printer column points at a field of the schema`, () => {
    for (const column of version.additionalPrinterColumns) {
      if (column.jsonPath === '.metadata.creationTimestamp') continue;
      assert.ok(schemaAt(root, column.jsonPath), `${column.name}: ${column.jsonPath}`);
    }
  });

  test(`${name}: every CEL rule has a message without line breaks`, () => {
    const walk = (node: OpenApiSchema): void => {
      for (const rule of node['x-kubernetes-validations'] ?? []) assert.ok(rule.message && !rule.message.includes('\n'), rule.rule);
      Object.values(node.properties ?? {}).forEach(walk);
      if (node.items) walk(node.items);
      if (node.additionalProperties) walk(node.additionalProperties);
    };
    walk(root);
  });
}
