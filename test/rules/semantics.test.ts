import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical } from '../../src/rules/condition/canonical.ts';
import { DEFAULT_LIMITS } from '../../src/rules/index.ts';
import { loadBundle } from '../../src/rules/loader/bundle.ts';
import { codes, rule, validateOne } from './helpers.ts';

/** What real Falco 0.42.1 with the image's config (suggested_output) appends to a quoted output. */
const SUGGESTED = ' container_id=%container.id container_name=%container.name container_image_repository=%container.image.repository container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name k8s_ns_name=%k8s.ns.name';

/**
 * Loader semantics from Falco's own unit tests (unit_tests/engine/test_rule_loader.cpp, 0.42):
 * the compiled condition after appends, overrides, list expansion and exceptions.
 */
function compiled(content: string, ruleName = 'r'): string {
  const bundle = loadBundle([{ name: 'rules.yaml', content }], ['syscall'], DEFAULT_LIMITS);
  const errors = bundle.results.flatMap((r) => r.errors.map((e) => e.message));
  assert.deepEqual(errors, []);
  const found = bundle.output?.rules.find((r) => r.name === ruleName);
  assert.ok(found, `rule ${ruleName} not compiled`);
  return canonical(found.expr);
}

const SHELLS = '- list: shell_binaries\n  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]\n';

const COMPILED: ReadonlyArray<readonly [string, string, string]> = [
  [
    'a list override appends items',
    `${SHELLS}- list: shell_binaries\n  items: [pwsh]\n  override:\n    items: append\n` +
      rule('r', { condition: 'evt.type = open and proc.name in (shell_binaries)' }),
    '(evt.type = open and proc.name in (ash, bash, csh, ksh, sh, tcsh, zsh, dash, pwsh))',
  ],
  [
    'a macro override appends to its condition',
    '- macro: m\n  condition: evt.type in (open, openat)\n- macro: m\n  condition: or evt.type = openat2\n  override:\n    condition: append\n' +
      rule('r', { condition: 'm and proc.name = cat' }),
    '((evt.type in (open, openat) or evt.type = openat2) and proc.name = cat)',
  ],
  [
    'a rule override appends to the condition',
    `${rule('r')}- rule: r\n  condition: and proc.name = cat\n  override:\n    condition: append\n`,
    '(evt.type = open and proc.name = cat)',
  ],
  [
    'a rule override replaces the condition',
    `${rule('r')}- rule: r\n  condition: evt.type = close\n  override:\n    condition: replace\n`,
    'evt.type = close',
  ],
  [
    'redefining a rule replaces it',
    `${rule('r')}${rule('r', { condition: 'evt.type = execve' })}`,
    'evt.type = execve',
  ],
  [
    'a list item naming an earlier list expands into its items',
    '- list: a\n  items: [x, y]\n- list: b\n  items: [a, z]\n' + rule('r', { condition: 'evt.type = open and proc.name in (b)' }),
    '(evt.type = open and proc.name in (x, y, z))',
  ],
  [
    'an undefined list name stays a literal value',
    rule('r', { condition: 'evt.type = open and proc.name in (my_undefined_list)' }),
    '(evt.type = open and proc.name in (my_undefined_list))',
  ],
  [
    'exceptions compile into "and not" clauses',
    rule('r', {
      condition: 'evt.type = open',
      extra: '  exceptions:\n  - name: ex\n    fields: [proc.name, fd.name]\n    comps: [=, startswith]\n    values:\n    - [cat, /etc]\n    - [dog, "/my dir"]',
    }),
    '(evt.type = open and not ((proc.name = cat and fd.name startswith /etc) or (proc.name = dog and fd.name startswith "/my dir")))',
  ],
  [
    'a single-field exception becomes an "in" list',
    rule('r', { extra: '  exceptions:\n  - name: ex\n    fields: proc.name\n    values: [cat, "my cat"]' }),
    '(evt.type = open and not proc.name in (cat, "my cat"))',
  ],
  [
    'an exception value may name a transformer as right-hand side',
    rule('r', { extra: '  exceptions:\n  - name: ex\n    fields: [proc.name]\n    values: [[toupper(proc.pname)]]' }),
    '(evt.type = open and not proc.name = toupper(proc.pname))',
  ],
];

for (const [behaviour, content, expected] of COMPILED) {
  test(`${behaviour}`, () => {
    assert.equal(compiled(content), expected);
  });
}

const VERDICTS: ReadonlyArray<readonly [string, string, string]> = [
  ['appending to a macro before it exists', '- macro: m\n  condition: evt.type = open\n  append: true\n', "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists"],
  ['appending to a list before it exists', '- list: l\n  items: [a]\n  override:\n    items: append\n', "List uses 'append' or 'override.items: append' but no list by that name already exists"],
  ['appending to a rule before it exists', '- rule: r\n  condition: evt.type = open\n  override:\n    condition: append\n', "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists"],
  ['replacing in a rule before it exists', '- rule: r\n  condition: evt.type = open\n  override:\n    condition: replace\n', "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists"],
  ['appending to the priority', `${rule('r')}- rule: r\n  priority: INFO\n  override:\n    priority: append\n`, "Key 'priority' cannot be appended to, use 'replace' instead"],
  ['an override naming a key the item lacks', `${rule('r')}- rule: r\n  override:\n    condition: append\n`, "An append override for 'condition' was specified but 'condition' is not defined"],
  ['an overridable key without its override entry', `${rule('r')}- rule: r\n  condition: and proc.name = x\n  priority: INFO\n  override:\n    condition: append\n`, "Unexpected key 'priority': no corresponding entry under 'override' is defined."],
  ['mixing override and append: true', `${rule('r')}- rule: r\n  condition: and proc.name = x\n  append: true\n  override:\n    condition: append\n`, "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."],
  ['redefining a rule with another source', `${rule('r')}- rule: r\n  condition: ka.verb = get\n  source: k8s_audit\n  override:\n    condition: replace\n`, 'Rule has been re-defined with a different source'],
  ['an exception with a field of another length', rule('r', { extra: '  exceptions:\n  - name: ex\n    fields: [proc.name, fd.name]\n    values: [[cat]]' }), 'Fields and values lists must have equal length'],
  ['an exception with an unknown field', rule('r', { extra: '  exceptions:\n  - name: ex\n    fields: [not.exist]\n    values: [[cat]]' }), "'not.exist' is not a supported filter field"],
  ['an exception with an unknown operator', rule('r', { extra: '  exceptions:\n  - name: ex\n    fields: [proc.name]\n    comps: [no-comp]\n    values: [[cat]]' }), "'no-comp' is not a supported comparison operator"],
  ['an unparsable engine version', '- required_engine_version: seven\n', 'Unable to parse engine version \'seven\' as a semver string. Expected "x.y.z" semver format.'],
  ['a bcontains value that is not hex', rule('r', { condition: 'evt.type = open and evt.buffer bcontains xyz' }), 'filter error: bcontains and bstartswith operator support hex strings only'],
  ['contains on a numeric field', rule('r', { condition: 'evt.type = open and proc.pid contains 1' }), "filter error: 'contains' operator not supported for numeric filters"],
  ['an unknown event type', rule('r', { condition: 'evt.type = some_invalid_event' }), 'unknown event type some_invalid_event'],
  ['a number that is not a number', rule('r', { condition: 'evt.type = open and proc.pid = abc' }), 'abc is not a valid number'],
  ['a transformer on a number', rule('r', { condition: 'evt.type = open and tolower(proc.pid) = 1' }), "can't add field transformer: type 'INT64' is not supported by 'tolower' transformer applied on field 'proc.pid'"],
  ['an argument on a field that takes none', rule('r', { condition: 'evt.type = open and fd.name[1] = x' }), 'filter_check called with nonexistent field fd.name[1]'],
  ['a filter-only field in the output', rule('r', { output: 'seen %fd.ip' }), `fd.ip${SUGGESTED} is filter only and cannot be used as a display field`],
];

for (const [behaviour, content, message] of VERDICTS) {
  test(`rejects ${behaviour}`, () => {
    const v = validateOne(content);
    assert.equal(v.ok, false);
    assert.equal(v.errors[0]?.message, message);
  });
}

test('a macro may only use macros defined before it, a rule any macro', () => {
  const later = '- macro: a\n  condition: b\n- macro: b\n  condition: evt.type = open\n' + rule('r', { condition: 'a' });
  assert.equal(validateOne(later).errors[0]?.message, "Undefined macro 'b' used in filter.");
  const forRule = rule('r', { condition: 'm' }) + '- macro: m\n  condition: evt.type = open\n';
  assert.deepEqual(codes(validateOne(forRule)), []);
});

test('a rule for an unknown source is skipped, so its condition is never checked', () => {
  const v = validateOne(rule('r', { condition: 'not a valid condition ((', extra: '  source: mysource' }));
  assert.equal(v.ok, true);
  assert.deepEqual(codes(v), ['LOAD_UNKNOWN_SOURCE']);
});

test('a macro used only by an unused macro counts as used', () => {
  const content = '- macro: inner\n  condition: evt.type = open\n- macro: outer\n  condition: inner\n' + rule('r');
  assert.deepEqual(codes(validateOne(content)), ['LOAD_UNUSED_MACRO']);
  assert.equal(validateOne(content).warnings[0]?.itemName, 'outer');
});

test('the standalone enabled key toggles an earlier rule with a deprecation warning', () => {
  const v = validateOne(`${rule('r')}- rule: r\n  enabled: false\n`);
  assert.equal(v.ok, true);
  assert.match(v.warnings[0]?.message ?? '', /standalone 'enabled' key usage is deprecated/);
  const missing = validateOne('- rule: nope\n  enabled: false\n');
  assert.equal(missing.errors[0]?.message, "Rule has 'enabled' key but no rule by that name already exists");
});

test('event-type warnings follow libsinsp: negations and neutral checks match too much', () => {
  const warns = (condition: string): boolean => codes(validateOne(rule('r', { condition }))).includes('LOAD_NO_EVTTYPE');
  for (const c of ['proc.name=foo', 'evt.type!=execve', 'not evt.type=execve', 'evt.type=execve or evt.type!=connect',
    'not evt.type in (execve, open)', 'not evt.type in (execve, open) or evt.type=connect']) {
    assert.equal(warns(c), true, c);
  }
  for (const c of ['evt.type=execve and proc.name!=foo', 'proc.name!=foo and evt.type=execve',
    'evt.type=execve and proc.name=foo or evt.type=open', 'evt.type in (execve, execve)']) {
    assert.equal(warns(c), false, c);
  }
});

test('warn_evttypes: false silences the event-type warning', () => {
  assert.deepEqual(codes(validateOne(rule('r', { condition: 'proc.name = x', extra: '  warn_evttypes: false' }))), []);
});

test('files load in order into one bundle: a later file uses and extends earlier macros', () => {
  const base = '- macro: opened\n  condition: evt.type = open\n';
  const custom = rule('r', { condition: 'opened and proc.name = cat' });
  const v = loadBundle([{ name: 'a.yaml', content: base }, { name: 'b.yaml', content: custom }], ['syscall'], DEFAULT_LIMITS);
  assert.deepEqual(v.results.map((r) => r.successful), [true, true]);
  assert.deepEqual(v.results[0]?.warnings.map((w) => w.code), ['LOAD_UNUSED_MACRO']);
  assert.deepEqual(v.results[1]?.warnings.map((w) => w.code), []);
});

test('skip-if-unknown-filter turns unknown fields, event types and output tokens into warnings', () => {
  const skip = '  skip-if-unknown-filter: true';
  const content =
    rule('field', { condition: 'evt.type = open and proc.nobody = cat', extra: skip }) +
    rule('event', { condition: 'evt.type = some_invalid_event', extra: skip }) +
    rule('output', { output: 'seen %proc.nobody', extra: skip });
  const v = validateOne(content);
  assert.equal(v.ok, true);
  assert.deepEqual(
    v.warnings.map((w) => [w.code, w.message]),
    [
      ['LOAD_UNKNOWN_FILTER', 'filter_check called with nonexistent field proc.nobody'],
      ['LOAD_UNKNOWN_FILTER', 'unknown event type some_invalid_event'],
      ['LOAD_UNKNOWN_FILTER', `invalid formatting token proc.nobody${SUGGESTED}`],
    ],
  );
});
