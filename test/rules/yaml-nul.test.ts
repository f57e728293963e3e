import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRuleFiles } from '../../src/rules/index.ts';

const rule = (output: string): string => `- rule: r\n  desc: d\n  condition: evt.type=open\n  output: ${output}\n  priority: INFO\n`;

test('a NUL in a plain scalar starts an escape as in yaml-cpp: an unknown one is a parse error marked after its letter', () => {
  const r = validateRuleFiles([{ name: 'r.yaml', content: rule('\0out %proc.name') }]);
  assert.equal(r.errors[0]?.code, 'LOAD_ERR_YAML_PARSE');
  assert.match(r.errors[0]?.message ?? '', /yaml-cpp: error at line 4, column 13: unknown escape character: o/);
});

test('a NUL inside quotes is an ordinary character', () => {
  const r = validateRuleFiles([{ name: 'r.yaml', content: rule('"\0out %proc.name"') }]);
  assert.equal(r.errors.find((e) => e.code === 'LOAD_ERR_YAML_PARSE'), undefined);
});
