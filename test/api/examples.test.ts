import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { parse } from 'yaml';
import { exampleObjects } from './support/examples.ts';
import { SCHEMAS } from './support/schemas.ts';

test('the examples folder has a minimal monitor, a webhook monitor and two rule sets', () => {
  const kinds = exampleObjects().map((e) => e.object['kind']);
  assert.equal(kinds.filter((k) => k === 'FalcoMonitor').length, 2);
  assert.equal(kinds.filter((k) => k === 'FalcoRuleSet').length, 2);
});

for (const { file, object } of exampleObjects()) {
  test(`example ${file} parses with the zod schema of its kind`, () => {
    const kind = object['kind'] as keyof typeof SCHEMAS;
    const result = SCHEMAS[kind].zod.safeParse(object);
    assert.ok(result.success, result.success ? '' : result.error.message);
  });
}

test('the annotated examples in docs/api.md are valid objects', async () => {
  const doc = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1] ?? '') as Record<string, unknown>);
  assert.equal(blocks.length, 2);
  for (const object of blocks) {
    const result = SCHEMAS[object['kind'] as keyof typeof SCHEMAS].zod.safeParse(object);
    assert.ok(result.success, result.success ? '' : result.error.message);
  }
});
