import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical } from '../../src/rules/condition/canonical.ts';
import { ConditionSyntaxError, parseCondition } from '../../src/rules/condition/parser.ts';

/** Accept/reject cases of libsinsp's own parser tests (filter_parser.ut.cpp), plus ours. */
const ACCEPTED = [
  'not(a)', 'not not a', 'a and notb', 'macro and not_macro', 'evt.arg[0] contains /bin', 'a.b = not',
  'test.op existsand macro', 'test.op =value', 'test.list in ()', 'fd.name=*.log', 'test.num > 0XaB00AB',
  'test.num > -0.1222e+10', 'proc.name in (a, "b c", d)', 'tolower(proc.name) = val(proc.pname)',
  'b64(toupper(proc.name)) exists', "proc.env['HOME'] = /root", 'a or (b and not c)',
  'proc.name intersects (a, b)', 'fd.name pmatch (/etc, /usr)', 'proc.name regex "^ba.*"',
  'evt.buffer bcontains 2f62696e', 'len(proc.args) > 3',
];

const REJECTED: ReadonlyArray<readonly [string, string]> = [
  ['a andb', "expected blank or '(' after 'and'"],
  ['aand b', "unexpected token after 'aand', expecting 'or', 'and'"],
  ['a and b not', "unexpected token after 'b', expecting 'or', 'and'"],
  ['a not b', "unexpected token after 'a', expecting 'or', 'and'"],
  ['(a)andnot(b)', "expected blank or '(' after 'and'"],
  ['evt.arg[] contains /bin', 'expected a valid field argument: a quoted string or a bare string'],
  ['a.b = b = 1', "unexpected token after 'b', expecting 'or', 'and'"],
  ['macro > 12', "unexpected token after 'macro', expecting 'or', 'and'"],
  ['a.g in ( 1 ,, , b)', 'expected a string value'],
  ['test.list in (value,)', 'expected a string value'],
  ['test.list = (value)', "expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len'"],
  ['test.op ExIsTs', 'expected a valid check operator: one of'],
  ['test.op ===', 'expected a string value or a field with a valid transformer'],
  ['test.op startswithvalue', 'expected a valid check operator'],
  ['test.num > 0xAAA.1', "unexpected token after '0xAAA', expecting 'or', 'and'"],
  ['test.num <= a', 'expected a number value or a field with a valid transformer'],
  ['val(test.field) exists', "unexpected token after 'val', expecting 'or', 'and'"],
  ['proc.name = "unterminated', 'expected a string value or a field with a valid transformer'],
  ['evt.type=open bar', "unexpected token after 'open', expecting 'or', 'and'"],
  ['', 'filter input string is empty'],
  ['(a', "expected a ')' token"],
  ['proc.name = "a\\qb"', 'unsupported string escape sequence: \\q'],
];

for (const input of ACCEPTED) {
  test(`accepts ${JSON.stringify(input)}`, () => {
    assert.doesNotThrow(() => parseCondition(input));
  });
}

for (const [input, message] of REJECTED) {
  test(`rejects ${JSON.stringify(input)} with libsinsp's message`, () => {
    assert.throws(() => parseCondition(input), (e: unknown) => e instanceof ConditionSyntaxError && e.message.startsWith(message));
  });
}

test('accepted conditions still parse with blanks turned into newlines and tabs', () => {
  for (const input of ACCEPTED) {
    for (const blank of ['\n', '\t']) {
      assert.doesNotThrow(() => parseCondition(input.replaceAll(' ', blank)), input);
    }
  }
});

test('precedence is not > and > or, and chains are n-ary', () => {
  assert.equal(canonical(parseCondition('a or b and not c and d')), '(a or (b and not c and d))');
  assert.equal(canonical(parseCondition('not not a')), 'a');
});

test('error positions are the parser position: 1-based line and column, 0-based index', () => {
  try {
    parseCondition('evt.type = open\n  and bad stuff');
    assert.fail('expected a syntax error');
  } catch (e) {
    assert.ok(e instanceof ConditionSyntaxError);
    assert.deepEqual(e.pos, { idx: 26, line: 2, col: 11 });
  }
});

test('checks keep the position where libsinsp starts them (before leading blanks)', () => {
  const expr = parseCondition('evt.type = open and this_macro');
  assert.equal(expr.kind, 'and');
  if (expr.kind !== 'and') return;
  assert.deepEqual(expr.children[1]?.pos, { idx: 20, line: 1, col: 21 });
});

test('quoted values are unescaped, field arguments kept as written', () => {
  const expr = parseCondition('proc.aname[2] = "a \\"b\\""');
  assert.equal(expr.kind, 'binary');
  if (expr.kind !== 'binary') return;
  assert.deepEqual(expr.left, { kind: 'field', name: 'proc.aname', arg: '2', pos: { idx: 0, line: 1, col: 1 } });
  assert.equal(expr.right.kind === 'value' ? expr.right.value : '', 'a "b"');
});
