import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, WARNING_CODES } from '../../src/rules/index.ts';
import { rule, validateOne } from './helpers.ts';

/**
 * One malformed (or suspicious) rules file per Falco load code. Each case states the code,
 * the message Falco uses, the top-level item it is reported against and the 1-based line of the
 * innermost location in the file.
 */
interface Case {
  readonly code: string;
  readonly content: string;
  readonly message: string | RegExp;
  readonly item?: readonly [kind: string, name?: string];
  readonly line: number;
  readonly column?: number;
  readonly sources?: readonly string[];
}

const CASES: readonly Case[] = [
  {
    // Falco 0.44+ (the default model); measured on the real 0.44.1
    code: 'LOAD_UNKNOWN_KEY',
    content: '- list: l1\n  items: [a]\n  frobnicate: 1\n- rule: r\n  desc: d\n  condition: proc.name in (l1)\n  output: o\n  priority: INFO\n',
    message: "Unknown key 'frobnicate'. The key will be ignored.",
    item: ['list', 'l1'],
    line: 1,
    column: 3,
  },
  {
    code: 'LOAD_ERR_YAML_PARSE',
    content: 'this : is : not : yaml',
    message: 'yaml-cpp: error at line 1, column 11: illegal map value',
    line: 1,
    column: 11,
  },
  {
    code: 'LOAD_ERR_YAML_VALIDATE',
    content: '- rule: x\n  desc: d\n  condition: evt.type=open\n  priority: INFO\n',
    message: "Item has no mapping for key 'output'",
    item: ['rule', 'x'],
    line: 1,
    column: 3,
  },
  {
    code: 'LOAD_ERR_COMPILE_CONDITION',
    content: rule('bad field', { condition: 'evt.type = open and proc.nobody = x' }),
    message: 'filter_check called with nonexistent field proc.nobody',
    item: ['rule', 'bad field'],
    line: 3,
    column: 14,
  },
  {
    code: 'LOAD_ERR_COMPILE_OUTPUT',
    content: rule('bad output', { output: 'seen %not_a_real_field' }),
    // Real Falco 0.42.1 with the image's config (append_output: suggested_output) quotes the
    // output with the container plugin's suggested fields appended.
    message: 'invalid formatting token not_a_real_field container_id=%container.id container_name=%container.name container_image_repository=%container.image.repository container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name k8s_ns_name=%k8s.ns.name',
    item: ['rule', 'bad output'],
    line: 4,
    column: 11,
  },
  {
    code: 'LOAD_ERR_VALIDATE',
    content: rule('uses macro', { condition: 'evt.type = open and no_such_macro' }),
    message: "Undefined macro 'no_such_macro' used in filter.",
    item: ['rule', 'uses macro'],
    line: 1,
    column: 3,
  },
  {
    code: 'LOAD_UNKNOWN_SOURCE',
    content: rule('cloud', { extra: '  source: aws_cloudtrail' }),
    message: 'Unknown source aws_cloudtrail, skipping',
    item: ['rule', 'cloud'],
    line: 1,
  },
  {
    code: 'LOAD_UNSAFE_NA_CHECK',
    content: rule('audit', { condition: 'ka.user.name = "<NA>"', output: 'user %ka.user.name', extra: '  source: k8s_audit' }),
    message: '',
    item: ['rule', 'audit'],
    line: 3,
    sources: ['syscall', 'k8s_audit'],
  },
  {
    code: 'LOAD_NO_EVTTYPE',
    content: rule('any event', { condition: 'proc.name = foo' }),
    message: 'Rule matches too many evt.type values. This has a significant performance penalty.',
    item: ['rule', 'any event'],
    line: 1,
  },
  {
    code: 'LOAD_UNKNOWN_FILTER',
    content: rule('skippable', { condition: 'evt.type = open and proc.nobody = cat', extra: '  skip-if-unknown-filter: true' }),
    message: 'filter_check called with nonexistent field proc.nobody',
    item: ['rule', 'skippable'],
    line: 3,
  },
  {
    code: 'LOAD_UNUSED_MACRO',
    content: `- macro: lonely\n  condition: evt.type = open\n${rule('r')}`,
    message: 'Macro not referred to by any other rule/macro',
    item: ['macro', 'lonely'],
    line: 1,
  },
  {
    code: 'LOAD_UNUSED_LIST',
    content: `- list: lonely\n  items: [a, b]\n${rule('r')}`,
    message: 'List not referred to by any other rule/macro',
    item: ['list', 'lonely'],
    line: 1,
  },
  {
    code: 'LOAD_UNKNOWN_ITEM',
    content: `- not_an_item: true\n${rule('r')}`,
    message: 'Unknown top level item',
    item: ['rules content item'],
    line: 1,
  },
  {
    code: 'LOAD_DEPRECATED_ITEM',
    content: `${rule('r')}- rule: r\n  append: true\n  condition: and proc.name = cat\n`,
    message: "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
    item: ['rule', 'r'],
    line: 6,
  },
  {
    code: 'LOAD_APPEND_NO_VALUES',
    content:
      rule('r', { extra: '  exceptions:\n  - name: e1\n    fields: [proc.name]\n    values: [[cat]]' }) +
      '- rule: r\n  exceptions:\n  - name: e1\n    value: [[dog]]\n  override:\n    exceptions: append\n',
    message: 'Overriding/appending exception with no values',
    item: ['rule', 'r'],
    line: 12,
  },
  {
    code: 'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
    content: rule('r', {
      extra: '  exceptions:\n  - name: e1\n    fields: [proc.name]\n    values: [[a]]\n  - name: e1\n    fields: [proc.name]\n    values: [[b]]',
    }),
    message: "Multiple definitions of exception 'e1' in the same rule",
    item: ['rule', 'r'],
    line: 10,
  },
  {
    code: 'LOAD_INVALID_MACRO_NAME',
    content: `- macro: test-macro\n  condition: evt.type = open\n${rule('r')}`,
    message: 'Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)',
    item: ['macro', 'test-macro'],
    line: 1,
  },
  {
    code: 'LOAD_INVALID_LIST_NAME',
    content: `- list: "test list"\n  items: [a]\n${rule('r')}`,
    message: 'List has an invalid name. List names should match a regular expression: ([^()"\'[:space:]=,]+)',
    item: ['list', 'test list'],
    line: 1,
  },
  {
    code: 'LOAD_COMPILE_CONDITION',
    content: rule('r', { condition: 'evt.type = open and proc.name = proc.pname' }),
    message: "'proc.pname' may be a valid field misused as a const string value",
    item: ['rule', 'r'],
    line: 3,
  },
];

for (const c of CASES) {
  test(`${c.code} is reported with Falco's message, item and position`, () => {
    // LOAD_UNKNOWN_KEY exists since Falco 0.44; the other cases were recorded on 0.42.1.
    const version = c.code === 'LOAD_UNKNOWN_KEY' ? { falcoVersion: '0.44.1' } : {};
    const v = validateOne(c.content, { ...version, ...(c.sources ? { knownSources: c.sources } : {}) });
    const found = [...v.errors, ...v.warnings].find((d) => d.code === c.code);
    assert.ok(found, `expected ${c.code}, got ${[...v.errors, ...v.warnings].map((d) => d.code).join(', ')}`);
    if (typeof c.message === 'string') assert.equal(found.message, c.message);
    else assert.match(found.message, c.message);
    assert.equal(found.severity, c.code in ERROR_CODES ? 'error' : 'warning');
    assert.equal(v.ok, !(c.code in ERROR_CODES));
    if (c.item) {
      assert.equal(found.itemKind, c.item[0]);
      assert.equal(found.itemName, c.item[1]);
    }
    assert.equal(found.file, 'rules.yaml');
    assert.equal(found.line, c.line);
    if (c.column !== undefined) assert.equal(found.column, c.column);
  });
}

test('every load code Falco 0.42 or 0.44 can emit while loading a file has a case', () => {
  // LOAD_ERR_FILE_READ and the *_EXTENSION codes are never produced by `falco -V`.
  const expected = [...Object.keys(ERROR_CODES), ...Object.keys(WARNING_CODES)].filter(
    (code) => !['LOAD_ERR_FILE_READ', 'LOAD_ERR_EXTENSION', 'LOAD_WARNING_EXTENSION'].includes(code),
  );
  assert.deepEqual(new Set(CASES.map((c) => c.code)), new Set(expected));
});
