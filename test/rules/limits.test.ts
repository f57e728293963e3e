import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rule, validateOne } from './helpers.ts';

/**
 * Rules content is untrusted: every pathological input ends in a clear load error. Limits are
 * options (`limits` of validateRuleFiles); the defaults are generous for real files. How long
 * these inputs take is measured by the rules benchmark (the bad-input corpus), not asserted here.
 */

function aliasBomb(levels: number): string {
  let yaml = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < levels; i++) yaml += `l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
  return yaml;
}

test('a YAML alias bomb used as list items stops at the alias budget', () => {
  const bomb = aliasBomb(9).replace(/\n/g, '\n    ');
  const content = `- list: x\n  items: [a]\n  extra:\n    ${bomb}\n- list: y\n  items: *l8\n`;
  const v = validateOne(content);
  assert.equal(v.ok, false);
  assert.match(v.errors[0]?.message ?? '', /too many YAML aliases|sequence value is not scalar/);
});

test('a file above the size limit is refused before parsing', () => {
  const content = `- list: x\n  items: [${'a,'.repeat(600_000)}b]\n`;
  const v = validateOne(content, { limits: { maxFileBytes: 1_000_000 } });
  assert.equal(v.errors[0]?.code, 'LOAD_ERR_YAML_PARSE');
  assert.match(v.errors[0]?.message ?? '', /above the limit of 1000000 bytes/);
});

test('deeply nested YAML is a parse error, not a crash', () => {
  const v = validateOne(`- list: x\n  items: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
  assert.equal(v.ok, false);
  assert.equal(v.errors[0]?.code, 'LOAD_ERR_YAML_PARSE');
});

test('deeply parenthesised conditions load as in Falco, up to the depth where Falco crashes', () => {
  // Falco 0.42.1 and 0.44.1 load 8,000 levels and die of a stack overflow near 8,170
  const deep = (n: number): string => `${'('.repeat(n)}evt.type = open${')'.repeat(n)}`;
  assert.deepEqual(validateOne(rule('deep', { condition: deep(5000) })).errors, []);
  const v = validateOne(rule('deep', { condition: deep(9000) }));
  assert.equal(v.errors[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(v.errors[0]?.message, 'exceeded max depth limit of 8170');
});

test('macros that double at every level are refused instead of expanded', () => {
  let content = '- macro: m0\n  condition: evt.type = open\n';
  for (let i = 1; i < 40; i++) content += `- macro: m${i}\n  condition: m${i - 1} and m${i - 1}\n`;
  const v = validateOne(content + rule('r', { condition: 'm39' }));
  assert.equal(v.errors[0]?.code, 'LOAD_ERR_VALIDATE');
  assert.match(v.errors[0]?.message ?? '', /expands to more than 200000 nodes/);
});

test('lists nest one level only, so doubling lists cannot explode a condition', () => {
  let content = '- list: l0\n  items: [aaaaaaaa, bbbbbbbb]\n';
  for (let i = 1; i < 24; i++) content += `- list: l${i}\n  items: [l${i - 1}, l${i - 1}]\n`;
  const v = validateOne(content + rule('r', { condition: 'evt.type = open and proc.name in (l23)' }));
  assert.deepEqual(v.errors, []);
});

test('a condition longer than the limit after list substitution is refused', () => {
  const items = Array.from({ length: 2000 }, (_, i) => `item${i}`).join(', ');
  const content = `- list: big\n  items: [${items}]\n${rule('r', { condition: 'evt.type = open and proc.name in (big)' })}`;
  const v = validateOne(content, { limits: { maxConditionLength: 10_000 } });
  assert.equal(v.errors[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.match(v.errors[0]?.message ?? '', /above the limit of 10000/);
});

test('a very long but flat condition still validates', () => {
  const names = Array.from({ length: 5000 }, (_, i) => `p${i}`).join(', ');
  const v = validateOne(rule('many names', { condition: `evt.type = execve and proc.name in (${names})` }));
  assert.deepEqual(v.errors, []);
});
