import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical } from '../../src/rules/condition/canonical.ts';
import { ConditionSyntaxError, parseCondition } from '../../src/rules/condition/parser.ts';
import { prng } from '../support/prng.ts';
import { rule, validateOne } from './helpers.ts';

/**
 * Property tests of the condition parser: for any input it returns an AST or throws a
 * ConditionSyntaxError with a position inside the input, quickly. Inputs come from a seeded
 * PRNG, so a failure reproduces; the run is bounded to a few thousand cases.
 */

const TOKENS = [
  'evt.type', 'proc.name', 'fd.name', 'proc.aname[2]', 'evt.arg.flags', 'a', 'macro_x', 'and', 'or', 'not',
  '(', ')', '=', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'pmatch', 'contains', 'icontains',
  'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'exists', ',', 'open',
  '"quoted value"', "'single'", '"esc\\"aped"', '/etc/passwd', '0x1F', '-12.5e+3', 'tolower(', 'toupper(',
  'b64(', 'basename(', 'len(', 'val(', '[', ']', '"', "'", '\\', '\n', '\t', ' ', '%', '*',
];

function randomCondition(rand: () => number): string {
  const length = Math.floor(rand() * 14);
  let out = '';
  for (let i = 0; i < length; i++) {
    if (rand() < 0.1) {
      out += String.fromCharCode(Math.floor(rand() * 128));
      continue;
    }
    out += TOKENS[Math.floor(rand() * TOKENS.length)];
    if (rand() < 0.7) out += ' ';
  }
  return out;
}

const FIELDS = ['evt.type', 'proc.name', 'fd.name', 'proc.aname[2]', 'evt.arg.flags', "proc.env['HOME']"];
const OPS = ['=', '!=', 'contains', 'startswith', 'glob', 'in', 'pmatch', 'exists', '<', '>='];
const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

/** Conditions built from the grammar, so that most of them are valid. */
function grammarCondition(rand: () => number, depth = 0): string {
  const r = rand();
  if (depth < 4 && r < 0.25) return `${grammarCondition(rand, depth + 1)} ${pick(rand, ['and', 'or'])} ${grammarCondition(rand, depth + 1)}`;
  if (depth < 4 && r < 0.35) return `not (${grammarCondition(rand, depth + 1)})`;
  if (r < 0.45) return pick(rand, ['macro_a', 'never_true', 'spawned_process']);
  const field = rand() < 0.2 ? `tolower(${pick(rand, FIELDS)})` : pick(rand, FIELDS);
  const op = pick(rand, OPS);
  if (op === 'exists') return `${field} exists`;
  if (op === 'in' || op === 'pmatch') return `${field} ${op} (${pick(rand, ['a', '"b c"', '/etc'])}, x)`;
  if (op === '<' || op === '>=') return `${field} ${op} ${pick(rand, ['1', '0x10', '-2.5'])}`;
  return `${field} ${op} ${pick(rand, ['open', '"quoted value"', '/bin/*', 'val(proc.pname)'])}`;
}

function parseOutcome(input: string): 'ast' | 'error' {
  try {
    const expr = parseCondition(input);
    assert.equal(typeof canonical(expr), 'string');
    return 'ast';
  } catch (e) {
    assert.ok(e instanceof ConditionSyntaxError, `unexpected ${String(e)} for ${JSON.stringify(input)}`);
    assert.ok(e.pos.idx >= 0 && e.pos.idx <= input.length, `position out of input for ${JSON.stringify(input)}`);
    return 'error';
  }
}

test('any generated condition parses to an AST or a positioned syntax error', () => {
  const rand = prng(20260714);
  const seen = { ast: 0, error: 0 };
  for (let i = 0; i < 3000; i++) {
    const input = i % 2 === 0 ? randomCondition(rand) : grammarCondition(rand);
    seen[parseOutcome(input)]++;
  }
  assert.ok(seen.ast > 100 && seen.error > 100, `too one-sided: ${JSON.stringify(seen)}`);
});

// `not not x` prints as such but parses back as `x` (libs toggles negations), hence two rounds.
test('canonical text reaches a fixpoint after one re-parse', () => {
  const rand = prng(7);
  let checked = 0;
  for (let i = 0; i < 3000 && checked < 300; i++) {
    const input = i % 2 === 0 ? randomCondition(rand) : grammarCondition(rand);
    let first: string;
    try {
      first = canonical(parseCondition(input));
    } catch {
      continue;
    }
    const second = canonical(parseCondition(first));
    assert.equal(canonical(parseCondition(second)), second, JSON.stringify(input));
    checked++;
  }
  assert.ok(checked > 50);
});

test('pathological conditions end in an AST or a positioned error, not a stack overflow', () => {
  const cases = ['('.repeat(100_000), 'not '.repeat(100_000) + 'a', `${'a and '.repeat(20_000)}a`, 'tolower('.repeat(50_000)];
  // parseOutcome asserts that any failure is a positioned ConditionSyntaxError.
  assert.deepEqual(cases.map(parseOutcome), ['error', 'ast', 'ast', 'error']);
});

test('random conditions inside a rule never crash the loader', () => {
  const rand = prng(99);
  for (let i = 0; i < 300; i++) {
    const condition = JSON.stringify(i % 2 === 0 ? randomCondition(rand) : grammarCondition(rand));
    const v = validateOne(rule('fuzzed', { condition }));
    for (const d of [...v.errors, ...v.warnings]) assert.match(d.code, /^LOAD_/);
  }
});
