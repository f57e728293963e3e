/**
 * Hostile or broken Falco rules documents. The static check (validateRuleFiles) must answer each
 * with a clear error (a Falco load code and a message), quickly and in bounded memory; none may
 * crash or hang the operator or the MCP server that run it.
 *
 * `bounded` entries are pathological or odd but legal as Falco reads them (a regex that would
 * backtrack catastrophically in a backtracking engine, which Falco's RE2 is not; a 1 MB rule
 * name; `not` repeated 5000 times; a list naming itself before it exists): only time and memory
 * are checked, and they are not counted as refused.
 */
export interface BadRules {
  id: string;
  content: string;
  expect: 'error' | 'bounded';
}

function rule(name: string, condition: string, extra = ''): string {
  return `- rule: ${name}\n  desc: corpus\n  condition: ${condition}\n  output: "corpus (proc=%proc.name)"\n  priority: WARNING\n${extra}`;
}

function aliasBomb(levels: number, width: number): string {
  let yaml = `- list: l0\n  items: &a0 [${Array(width).fill('lol').join(', ')}]\n`;
  for (let i = 1; i < levels; i++) yaml += `- list: l${i}\n  items: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]\n`;
  return yaml;
}

const err = (id: string, content: string): BadRules => ({ id, content, expect: 'error' });
const bounded = (id: string, content: string): BadRules => ({ id, content, expect: 'bounded' });

export const BAD_RULES: BadRules[] = [
  // YAML structure
  err('alias bomb, 9 levels of 9', aliasBomb(9, 9)),
  err('alias bomb, 5 levels of 50', aliasBomb(5, 50)),
  err('alias bomb through merge keys', `- macro: m\n  condition: evt.type = open\n  x: &a {a: 1, b: 2}\n  y: &b {<<: [*a, *a, *a, *a], c: 3}\n  z: &c {<<: [*b, *b, *b, *b]}\n- list: bomb\n  items: *c\n`),
  err('undefined alias', '- list: x\n  items: *nothing\n'),
  err('deep flow nesting', `- list: x\n  items: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`),
  err('deep block nesting', `- list: x\n  items:\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i + 2)}- `).join('\n')}a\n`),
  err('deep mapping nesting', `- list: x\n  items: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`),
  err('huge document above the size limit', `- list: big\n  items: [${'abcdefgh, '.repeat(1_000_000)}z]\n`),
  err('tab indentation', '- rule: tabs\n\tdesc: x\n\tcondition: evt.type = open\n'),
  err('unterminated flow sequence', '- list: x\n  items: [a, b\n'),
  err('unterminated quoted string', '- rule: "open quote\n  desc: x\n'),
  err('document is a scalar', 'just a string\n'),
  err('document is a mapping', 'rule: not a list\ncondition: evt.type = open\n'),
  err('list items is a mapping', '- list: x\n  items: {a: 1}\n'),
  err('custom YAML tag', '- list: x\n  items: !!js/function "function () { return process.exit(1) }"\n'),
  err('binary tag in a condition', `- macro: m\n  condition: !!binary aGVsbG8=\n`),
  bounded('duplicate keys', '- rule: dup\n  desc: a\n  desc: b\n  condition: evt.type = open\n  output: x\n  priority: WARNING\n'),
  // Encoding
  bounded('lone UTF-16 surrogate (invalid UTF-8 once encoded)', rule('surrogate \ud800', 'evt.type = open and proc.name = "\udc00"')),
  err('replacement characters from invalid UTF-8', Buffer.from([0x2d, 0x20, 0x72, 0x75, 0x6c, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a, 0x20, 0x20, 0x64, 0x65, 0x73, 0x63, 0x3a, 0x20, 0xe2, 0x28, 0xa1, 0x0a]).toString('utf8')),
  err('NUL bytes', `- rule: nul\u0000\n  desc: x\u0000\n  condition: evt.type = open\u0000\n`),
  bounded('control characters in keys', '- rule\u0007: bell\n  desc: x\n'),
  err('byte order mark inside the document', '- list: x\n  items: [a]\n\ufeff- list: y\n  items: [b]\n  bogus: \ufeff\n  condition: ['),
  // Conditions
  // Falco itself loads 8,000 levels and crashes at about 8,170 (measured, test/differential/).
  err('parentheses nested 9000 deep', rule('deep', `${'('.repeat(9000)}evt.type = open${')'.repeat(9000)}`)),
  bounded('not nested 5000 deep', rule('nots', `${'not '.repeat(5000)}evt.type = open`)),
  err('condition above the length limit', rule('long', `evt.type = open and proc.name in (${Array.from({ length: 120_000 }, (_, i) => `p${i}`).join(', ')}) and nope.field = 1`)),
  err('macros expanding exponentially', Array.from({ length: 30 }, (_, i) => `- macro: m${i}\n  condition: ${i === 0 ? 'evt.type = open' : `(m${i - 1} and m${i - 1})`}\n`).join('') + rule('boom', 'm29')),
  err('macro recursion', '- macro: a\n  condition: b\n- macro: b\n  condition: a\n' + rule('loop', 'a')),
  err('macro referencing itself', '- macro: self\n  condition: self and evt.type = open\n' + rule('self', 'self')),
  bounded('list referencing itself', '- list: l\n  items: [l, a]\n' + rule('list loop', 'proc.name in (l)')),
  err('unterminated string in a condition', rule('quote', 'proc.name = "bash')),
  err('unknown field', rule('field', 'proc.nonexistent_field = foo')),
  err('unknown operator', rule('op', 'proc.name ~= bash')),
  err('dangling operator', rule('dangling', 'evt.type = open and')),
  err('shell injection in a condition', rule('inject', 'proc.name = x; rm -rf / #')),
  err('command substitution in a condition', rule('subst', 'proc.name = $(reboot)')),
  err('regex operator without a value', rule('regex empty', 'proc.name regex')),
  err('condition is a list', '- rule: r\n  desc: x\n  condition: [evt.type, open]\n  output: x\n  priority: WARNING\n'),
  err('in-list with 100k empty items', rule('commas', `proc.name in (${','.repeat(100_000)})`)),
  // Outputs, fields and rule structure
  err('output with an unknown field', `- rule: out\n  desc: x\n  condition: evt.type = open\n  output: "%proc.nope"\n  priority: WARNING\n`),
  err('output of 100k percent signs', `- rule: pct\n  desc: x\n  condition: evt.type = open\n  output: "${'%'.repeat(100_000)}"\n  priority: WARNING\n`),
  err('priority unknown', `- rule: pr\n  desc: x\n  condition: evt.type = open\n  output: x\n  priority: LOUDEST\n`),
  err('rule without a condition', `- rule: nocond\n  desc: x\n  output: x\n  priority: WARNING\n`),
  bounded('rule name of 1 MB', rule('n'.repeat(1_000_000), 'evt.type = open')),
  err('required engine version from the future', '- required_engine_version: 999999\n'),
  err('append to a rule that does not exist', '- rule: ghost\n  condition: and evt.type = open\n  append: true\n'),
  err('override with an unknown key', '- rule: r\n  desc: x\n  condition: evt.type = open\n  output: x\n  priority: WARNING\n- rule: r\n  condition: evt.type = close\n  override:\n    condition: explode\n'),
  err('exceptions nested 40 deep', `- rule: ex\n  desc: x\n  condition: evt.type = open\n  output: x\n  priority: WARNING\n  exceptions:\n    - name: e\n      fields: [proc.name]\n      values: ${'['.repeat(40)}a${']'.repeat(40)}\n`),
  err('20k rules with the same name in one document', Array.from({ length: 20_000 }, () => '- rule: same\n  condition: evt.type = open\n  append: true\n').join('')),
  // Pathological but legal (Falco loads these too): bounded time and memory only
  bounded('catastrophic-backtracking regex', rule('redos', 'proc.cmdline regex "^(a+)+$"')),
  bounded('regex with 10k alternatives', rule('alts', `proc.name regex "${Array.from({ length: 10_000 }, (_, i) => `x${i}`).join('|')}"`)),
  bounded('glob with 10k stars', rule('globs', `fd.name glob "${'*'.repeat(10_000)}"`)),
  bounded('10k macros chained linearly', Array.from({ length: 10_000 }, (_, i) => `- macro: c${i}\n  condition: ${i === 0 ? 'evt.type = open' : `c${i - 1}`}\n`).join('') + rule('chain', 'c9999')),
];
