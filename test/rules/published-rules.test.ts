import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRuleFiles } from '../../src/rules/index.ts';
import { PUBLISHED, shared } from './helpers.ts';

/**
 * Falco's published rules files load cleanly, alone and together in the documented order
 * (stable, incubating, sandbox). Real Falco 0.42.1 reports the stable file `Ok` with no warnings
 * (falco-outputs validate_loaded); the others are expected to load without errors too.
 */
const file = (key: keyof typeof PUBLISHED): { name: string; content: string } => ({
  name: PUBLISHED[key],
  content: shared(PUBLISHED[key]),
});

test('the stable rules load with no error and no warning, as real Falco reports them', () => {
  const v = validateRuleFiles([file('stable')]);
  assert.equal(v.ok, true);
  assert.deepEqual(v.errors, []);
  assert.deepEqual(v.warnings, []);
  assert.deepEqual(v.counts, { rules: 25, macros: 87, lists: 49 });
  assert.equal(v.requiredEngineVersion, '0.57.0');
  assert.deepEqual(v.requiredPluginVersions, [[{ name: 'container', version: '0.4.0' }]]);
  assert.ok(v.ruleNames.includes('Terminal shell in container'));
});

for (const key of ['incubating', 'sandbox'] as const) {
  test(`the ${key} rules load alone with no error`, () => {
    const v = validateRuleFiles([file(key)]);
    assert.deepEqual(v.errors, []);
    assert.equal(v.ok, true);
  });
}

test('stable, incubating and sandbox load together in order, each file valid', () => {
  const v = validateRuleFiles([file('stable'), file('incubating'), file('sandbox')]);
  assert.deepEqual(v.errors, []);
  assert.deepEqual(v.files.map((f) => f.ok), [true, true, true]);
  assert.equal(v.counts.rules, 93);
});

test('every rule name of the published files is reported once, in definition order', () => {
  const v = validateRuleFiles([file('stable')]);
  assert.equal(v.ruleNames.length, 25);
  assert.equal(v.ruleNames[0], 'Directory traversal monitored file read');
  assert.equal(new Set(v.ruleNames).size, v.ruleNames.length);
});
