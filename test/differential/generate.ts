/**
 * Seeded generators of rules files for the differential run against the real Falco. Every file
 * comes from one family (what it exercises) and a number; `generateCase(seed, index)` is a pure
 * function of its arguments, so any case of any run can be rebuilt from its seed and index.
 * Grammar-based families build items from the pieces below; `mutation` edits copies of the
 * published rules (`../shared/falco-rules`).
 */
import { readFileSync } from 'node:fs';

import { prng } from '../support/prng.ts';
import type { Rand } from '../support/prng.ts';

export { prng };
export type { Rand };

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const chance = (r: Rand, p: number): boolean => r() < p;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

export interface GeneratedCase {
  readonly family: Family;
  readonly id: string;
  readonly content: Buffer;
}

export const FAMILIES = [
  'items',
  'conditions',
  'exceptions',
  'overrides',
  'outputs',
  'plugins',
  'encodings',
  'limits',
  'yaml-shapes',
  'yaml-errors',
  'mutation',
] as const;
export type Family = (typeof FAMILIES)[number];

// ---------------------------------------------------------------- pieces of the grammar

const FIELDS = [
  'evt.type', 'proc.name', 'proc.cmdline', 'fd.name', 'fd.num', 'fd.typechar', 'evt.dir', 'user.uid', 'proc.pid',
  'proc.aname[2]', 'proc.aname', 'proc.apid[1]', 'evt.arg.flags', 'evt.arg[0]', 'evt.rawarg.res', 'fd.sport',
  'fd.net', 'fd.cip', 'container.id', 'container.image.repository', 'k8s.ns.name', 'k8s.pod.label[app]',
  'proc.env[HOME]', 'evt.res', 'evt.is_open_write', 'fd.directory', 'proc.exepath', 'evt.num', 'thread.cap_effective',
  'proc.nofield', 'bogus.field', 'evt.around[1]', 'container.label[x]', 'fd.ip', 'evt.buffer', 'proc.args',
];
const VALUES = [
  'open', 'openat', '/etc/passwd', 'bash', '0', '-1', '1024', '"quoted value"', "'single q'", '""', 'E', '<NA>',
  '127.0.0.1', '10.0.0.0/8', '::1', 'true', 'false', '0x10', '/usr/*', '"a\\"b"', 'ab*c', 'x y', '1.5', 'ssh',
];
const BIN_OPS = ['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex'];
const LIST_OPS = ['in', 'intersects', 'pmatch'];
const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len', 'val'];
const MACROS = ['m_open', 'm_shell', 'm_undefined'];
const LISTS = ['l_shells', 'l_ports', 'l_undefined'];

function field(r: Rand): string {
  const f = pick(r, FIELDS);
  if (chance(r, 0.12)) {
    const t = pick(r, TRANSFORMERS);
    return t === 'val' ? `val(${pick(r, FIELDS)})` : `${t}(${chance(r, 0.2) ? `${pick(r, TRANSFORMERS)}(${f})` : f})`;
  }
  return f;
}

function listValue(r: Rand): string {
  const n = int(r, 0, 4);
  const vals = Array.from({ length: n }, () => (chance(r, 0.15) ? pick(r, LISTS) : chance(r, 0.05) ? `(${pick(r, VALUES)})` : pick(r, VALUES)));
  return `(${vals.join(chance(r, 0.5) ? ', ' : ',')})`;
}

function predicate(r: Rand): string {
  const x = r();
  if (x < 0.08) return pick(r, MACROS);
  if (x < 0.14) return `${field(r)} exists`;
  if (x < 0.3) return `${field(r)} ${pick(r, LIST_OPS)} ${chance(r, 0.2) ? pick(r, LISTS) : listValue(r)}`;
  if (x < 0.35) return `${field(r)} ${pick(r, BIN_OPS)} ${chance(r, 0.5) ? field(r) : pick(r, VALUES)}`;
  return `${field(r)}${chance(r, 0.7) ? ' ' : ''}${pick(r, BIN_OPS)}${chance(r, 0.8) ? ' ' : ''}${pick(r, VALUES)}`;
}

/** A condition from the filter grammar, with a few syntax slips mixed in. */
export function condition(r: Rand, depth = 0): string {
  const x = r();
  let out: string;
  if (depth > 3 || x < 0.45) out = predicate(r);
  else if (x < 0.6) out = `not ${condition(r, depth + 1)}`;
  else if (x < 0.75) out = `(${condition(r, depth + 1)})`;
  else out = `${condition(r, depth + 1)} ${pick(r, ['and', 'or', 'and', 'or', 'AND', 'andnot'])} ${condition(r, depth + 1)}`;
  if (depth === 0 && chance(r, 0.06)) {
    const slips = [' and', '(', ')', ' =', ' in (a', '"', ' or or x', ' evt.type=', 'and '];
    const s = pick(r, slips);
    out = chance(r, 0.5) ? out + s : s + out;
  }
  return out;
}

const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'INFORMATIONAL', 'DEBUG', 'info', 'Warning', 'warn', 'bogus', ''];

/** A YAML scalar rendering of a string, in one of several styles. */
function scalar(r: Rand, s: string): string {
  const x = r();
  if (x < 0.6 && /^[^\s'"#&*!|>%@`{}[\],:?-][^#]*$/.test(s) && !/: /.test(s) && !s.endsWith(':') && !s.endsWith(' ')) return s;
  if (x < 0.8) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function output(r: Rand): string {
  const parts = ['event', '%proc.name', '%fd.name', '(user=%user.name)', '%evt.type', '%proc.aname[2]', '%bogus.field', '%%', '%proc.nofield', '%container.id', 'x=%evt.arg.flags', '%', '%evt.time.iso8601', '%k8s.pod.name'];
  return Array.from({ length: int(r, 1, 5) }, () => pick(r, parts)).join(' ');
}

const TAGS_VALUES = ['[a, b]', '[]', 'x', '[1, [2]]', '- a\n    - b', '[maturity_stable, host]'];

interface RuleOpts {
  readonly name?: string;
  readonly extra?: readonly string[];
}

function ruleItem(r: Rand, opts: RuleOpts = {}): string {
  const name = opts.name ?? `rule ${int(r, 1, 5)}`;
  const lines = [`- rule: ${scalar(r, name)}`];
  const keys: Array<[string, () => string]> = [
    ['desc', () => scalar(r, pick(r, ['a description', 'x', '']))],
    ['condition', () => scalar(r, condition(r))],
    ['output', () => scalar(r, output(r))],
    ['priority', () => pick(r, PRIORITIES) || "''"],
  ];
  for (const [k, v] of keys) {
    if (chance(r, 0.93)) lines.push(`  ${k}: ${v()}`);
  }
  const optional: Array<[string, () => string]> = [
    ['enabled', () => pick(r, ['true', 'false', 'yes', 'no', 'on', 'TRUE', 'True', 'tRue', '1', 'x', '[]'])],
    ['tags', () => pick(r, TAGS_VALUES)],
    ['source', () => pick(r, ['syscall', 'k8s_audit', 'aws_cloudtrail', '', 'syscall ', '[syscall]'])],
    ['warn_evttypes', () => pick(r, ['true', 'false', 'maybe'])],
    ['skip-if-unknown-filter', () => pick(r, ['true', 'false', 'nah'])],
    ['append', () => pick(r, ['true', 'false'])],
    ['capture', () => pick(r, ['true', 'false', '"yes"'])],
    ['capture_duration', () => pick(r, ['100', '0', '-5', 'x', '0x10'])],
    ['frobnicate', () => '1'],
    ['required_engine_version', () => '1'],
  ];
  for (const [k, v] of optional) {
    if (chance(r, 0.12)) lines.push(`  ${k}: ${v()}`);
  }
  if (chance(r, 0.15)) lines.push(...exceptionsBlock(r));
  lines.push(...(opts.extra ?? []));
  return lines.join('\n');
}

function macroItem(r: Rand, name = pick(r, MACROS)): string {
  const lines = [`- macro: ${name}`];
  if (chance(r, 0.95)) lines.push(`  condition: ${scalar(r, condition(r))}`);
  if (chance(r, 0.08)) lines.push(`  append: ${pick(r, ['true', 'false', 'x'])}`);
  if (chance(r, 0.05)) lines.push('  frobnicate: 2');
  return lines.join('\n');
}

function listItem(r: Rand, name = pick(r, LISTS)): string {
  const lines = [`- list: ${name}`];
  if (chance(r, 0.95)) {
    const vals = Array.from({ length: int(r, 0, 4) }, () => pick(r, ['bash', 'sh', '22', '"quoted"', 'a b', "'x,y'", 'l_shells', '"(p)"', '""']));
    lines.push(chance(r, 0.2) ? `  items:\n${vals.map((v) => `    - ${v}`).join('\n') || '    []'}` : `  items: [${vals.join(', ')}]`);
  }
  if (chance(r, 0.08)) lines.push(`  append: ${pick(r, ['true', 'false'])}`);
  return lines.join('\n');
}

function exceptionsBlock(r: Rand): string[] {
  const out = ['  exceptions:'];
  for (let i = 0; i < int(r, 1, 2); i++) {
    out.push(`    - name: ${pick(r, ['e1', 'e2', 'e1', 'proc_names'])}`);
    const multi = chance(r, 0.6);
    const fields = multi
      ? Array.from({ length: int(r, 1, 3) }, () => pick(r, ['proc.name', 'fd.name', 'proc.pname', 'bogus.field', 'fd.directory']))
      : [pick(r, ['proc.name', 'fd.name', 'bogus.f'])];
    if (chance(r, 0.93)) out.push(`      fields: ${multi ? `[${fields.join(', ')}]` : fields[0]}`);
    if (chance(r, 0.7)) {
      const compsOf = (): string => pick(r, ['=', 'in', 'startswith', 'endswith', 'pmatch', 'contains', 'glob', 'startswith oneof', 'bogus', '!=', 'intersects']);
      out.push(`      comps: ${multi ? `[${fields.map(compsOf).join(', ')}]` : compsOf()}`);
    }
    if (chance(r, 0.8)) {
      const row = (): string => (multi ? `[${fields.map(() => pick(r, ['bash', '/tmp', '[a, b]', '"x y"', '[]'])).join(', ')}]` : pick(r, ['bash', '[a, b]', '/tmp']));
      out.push(`      values: ${pick(r, ['[]', `[${row()}]`, `[${row()}, ${row()}]`, 'x'])}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- families

function preamble(r: Rand): string[] {
  const out: string[] = [];
  if (chance(r, 0.5)) out.push(listItem(r, 'l_shells'));
  if (chance(r, 0.5)) out.push('- macro: m_open\n  condition: evt.type in (open, openat)');
  if (chance(r, 0.3)) out.push('- macro: m_shell\n  condition: proc.name in (l_shells)');
  return out;
}

function itemsCase(r: Rand): string {
  const items = preamble(r);
  for (let i = 0; i < int(r, 1, 4); i++) {
    const x = r();
    if (x < 0.5) items.push(ruleItem(r));
    else if (x < 0.7) items.push(macroItem(r));
    else if (x < 0.85) items.push(listItem(r));
    else if (x < 0.9) items.push(`- required_engine_version: ${pick(r, ['0', '10', '0.26.0', '99', '1.0', 'x', '0.57.0', '0.62.0', '0.63.0'])}`);
    else if (x < 0.95) items.push(pick(r, ['- frobnicate: 1', '- {}', '- 5', '- [a]', '- rule: ', '- macro:\n  condition: x', '- list: x\n  items: y']));
    else items.push(pick(r, ['- rule: x\n  enabled: false', '- rule: rule 1\n  enabled: true', '- rule: x\n  tags: [a]\n  append: true']));
  }
  return `${items.join('\n\n')}\n`;
}

function conditionsCase(r: Rand): string {
  const items = preamble(r);
  for (let i = 0; i < int(r, 1, 3); i++) {
    items.push(chance(r, 0.2) ? macroItem(r) : ruleItem(r, { name: `c${i}` }));
  }
  return `${items.join('\n')}\n`;
}

function exceptionsCase(r: Rand): string {
  const base = `- rule: r1\n  desc: d\n  condition: evt.type=open\n  output: o %proc.name\n  priority: INFO\n${exceptionsBlock(r).join('\n')}\n`;
  if (chance(r, 0.4)) {
    const app = chance(r, 0.5)
      ? `- rule: r1\n${exceptionsBlock(r).join('\n')}\n  append: true\n`
      : `- rule: r1\n${exceptionsBlock(r).join('\n')}\n  override:\n    exceptions: ${pick(r, ['append', 'replace', 'bogus'])}\n`;
    return base + app;
  }
  return base;
}

const OVERRIDABLE = ['condition', 'output', 'desc', 'priority', 'tags', 'exceptions', 'enabled', 'capture', 'capture_duration', 'warn_evttypes', 'skip-if-unknown-filter', 'source', 'items', 'bogus'];

function overridesCase(r: Rand): string {
  const base = ruleItem(r, { name: 'target' });
  const kind = pick(r, ['rule', 'rule', 'macro', 'list']);
  const head = kind === 'rule' ? base : kind === 'macro' ? macroItem(r, 'target') : listItem(r, 'target');
  const keys = Array.from({ length: int(r, 1, 3) }, () => pick(r, OVERRIDABLE));
  const lines = [`- ${kind}: target`];
  const values: Record<string, () => string> = {
    condition: () => scalar(r, condition(r)),
    output: () => scalar(r, output(r)),
    desc: () => 'new desc',
    priority: () => pick(r, PRIORITIES) || 'INFO',
    tags: () => '[t1]',
    exceptions: () => `\n${exceptionsBlock(r).map((l) => l.replace(/^ {2}exceptions:$/, '')).filter((l) => l !== '').join('\n')}`,
    enabled: () => pick(r, ['true', 'false']),
    capture: () => 'true',
    capture_duration: () => '100',
    warn_evttypes: () => 'false',
    'skip-if-unknown-filter': () => 'true',
    source: () => 'syscall',
    items: () => '[zsh]',
    bogus: () => '1',
  };
  for (const k of new Set(keys)) {
    const v = (values[k] ?? (() => 'x'))();
    lines.push(v.startsWith('\n') ? `  ${k}:${v}` : `  ${k}: ${v}`);
  }
  if (chance(r, 0.85)) {
    lines.push('  override:');
    for (const k of new Set(keys)) lines.push(`    ${k}: ${pick(r, ['append', 'replace', 'replace', 'bogus'])}`);
    if (chance(r, 0.1)) lines.push(`    ${pick(r, OVERRIDABLE)}: append`);
  } else if (chance(r, 0.5)) {
    lines.push('  append: true');
  }
  return `${head}\n${lines.join('\n')}\n`;
}

function outputsCase(r: Rand): string {
  const rules = Array.from({ length: int(r, 1, 3) }, (_, i) =>
    `- rule: o${i}\n  desc: d\n  condition: evt.type=open\n  output: ${scalar(r, output(r))}\n  priority: INFO${chance(r, 0.2) ? `\n  source: ${pick(r, ['syscall', 'k8s_audit'])}` : ''}`,
  );
  return `${rules.join('\n')}\n`;
}

const PLUGIN_NAMES = ['container', 'container', 'k8saudit', 'json', 'foo', 'Container', ''];
const PLUGIN_VERSIONS = ['0.1.0', '0.4.0', '0.4.1', '0.5.0', '0.7.1', '0.7.2', '0.8.0', '1.0.0', '9.1.0', '0.4', '1', 'x', '0.4.1-rc1', ''];

function pluginEntry(r: Rand, indent: string): string[] {
  const lines: string[] = [];
  const name = pick(r, PLUGIN_NAMES);
  lines.push(`${indent}- name: ${name === '' ? "''" : name}`);
  if (chance(r, 0.92)) {
    const v = pick(r, PLUGIN_VERSIONS);
    lines.push(`${indent}  version: ${v === '' ? "''" : v}`);
  }
  return lines;
}

function pluginsCase(r: Rand): string {
  const items: string[] = [];
  for (let i = 0; i < int(r, 1, 2); i++) {
    const lines = ['- required_plugin_versions:'];
    for (let j = 0; j < int(r, 0, 2); j++) {
      lines.push(...pluginEntry(r, '  '));
      if (chance(r, 0.4)) {
        lines.push('    alternatives:');
        for (let k = 0; k < int(r, 1, 2); k++) lines.push(...pluginEntry(r, '      '));
      }
    }
    if (lines.length === 1) lines[0] = `- required_plugin_versions: ${pick(r, ['[]', 'x', '', '{}'])}`;
    items.push(lines.join('\n'));
  }
  if (chance(r, 0.3)) items.push(`- required_engine_version: ${pick(r, ['0.57.0', '0.62.0', '0.99.0', '10'])}`);
  if (chance(r, 0.7)) items.push(ruleItem(r, { name: 'p' }));
  if (chance(r, 0.5)) items.reverse();
  return `${items.join('\n')}\n`;
}

const GOOD_RULE = '- rule: enc\n  desc: d\n  condition: evt.type=open and proc.name=VAL\n  output: OUT %proc.name\n  priority: INFO\n';

function encodingsCase(r: Rand): Buffer {
  const nonAscii = ['é', 'ü', '日本', '😀', '\u00a0', 'Ω'];
  let text = GOOD_RULE.replace('VAL', chance(r, 0.5) ? pick(r, nonAscii) : 'bash').replace('OUT', chance(r, 0.5) ? `x${pick(r, nonAscii)}` : 'out');
  if (chance(r, 0.3)) text += `- rule: bad${pick(r, nonAscii)}\n  desc: d\n  condition: evt.type=${pick(r, nonAscii)} and\n  output: o\n  priority: INFO\n`;
  if (chance(r, 0.2)) text = `# comment ${pick(r, nonAscii)}\n${text}`;
  if (chance(r, 0.2)) text = text.replace(/\n/g, '\r\n');
  let bytes = Buffer.from(text, 'utf8');
  const x = r();
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const bad = pick(r, [[0xff], [0xc3], [0xe2, 0x82], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfe, 0xff], [0x00]]);
  const at = (needle: string): number => Math.max(0, bytes.indexOf(needle));
  if (x < 0.3) bytes = Buffer.concat([bom, bytes]);
  else if (x < 0.4) bytes = Buffer.concat([bom, bom, bytes]);
  else if (x < 0.75) {
    const where = pick(r, ['condition: ', 'desc: ', 'output: ', 'rule: ', 'priority: ', '# ', '\n']);
    const i = at(where) + where.length;
    bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(bad), bytes.subarray(i)]);
  } else if (x < 0.85) bytes = Buffer.concat([bytes.subarray(0, at('rule: enc') + 7), Buffer.from(bad), bytes.subarray(at('rule: enc') + 7)]);
  else if (x < 0.92) bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  else bytes = Buffer.concat([bom, Buffer.from(bad), bytes]);
  if (chance(r, 0.1)) bytes = Buffer.concat([bytes, bom]);
  return bytes;
}

function nested(r: Rand, depth: number): string {
  const style = pick(r, ['paren', 'not', 'mixed', 'notparen', 'transformer', 'list']);
  const leaf = 'evt.type=open';
  switch (style) {
    case 'paren':
      return `${'('.repeat(depth)}${leaf}${')'.repeat(depth)}`;
    case 'not':
      return `${'not '.repeat(depth)}${leaf}`;
    case 'notparen':
      return `${'not ('.repeat(depth)}${leaf}${')'.repeat(depth)}`;
    case 'transformer':
      return `${'tolower('.repeat(depth)}proc.name${')'.repeat(depth)} = bash and evt.type=open`;
    case 'list':
      return `evt.type in ${'('.repeat(depth)}open${')'.repeat(depth)}`;
    default: {
      let c = leaf;
      for (let i = 0; i < depth; i++) c = chance(r, 0.5) ? `(${c} and proc.name=x${i})` : `not (${c})`;
      return c;
    }
  }
}

function limitsCase(r: Rand): string {
  const x = r();
  if (x < 0.55) {
    const depth = pick(r, [int(r, 1, 50), int(r, 50, 200), int(r, 200, 1200), int(r, 95, 105), int(r, 250, 260), int(r, 495, 505), int(r, 1000, 1030)]);
    const cond = nested(r, depth);
    return chance(r, 0.3)
      ? `- macro: deep\n  condition: ${cond}\n- rule: lim\n  desc: d\n  condition: deep\n  output: o\n  priority: INFO\n`
      : `- rule: lim\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: INFO\n`;
  }
  if (x < 0.7) {
    // macro chains: depth by substitution rather than by text
    const n = int(r, 2, 300);
    const items = [`- macro: m0\n  condition: evt.type=open`];
    for (let i = 1; i < n; i++) items.push(`- macro: m${i}\n  condition: (m${i - 1}${chance(r, 0.2) ? ' and proc.name=x' : ''})`);
    items.push(`- rule: chain\n  desc: d\n  condition: m${n - 1}\n  output: o\n  priority: INFO`);
    return `${items.join('\n')}\n`;
  }
  if (x < 0.85) {
    // deep YAML nesting
    const depth = pick(r, [int(r, 1, 70), int(r, 60, 70), int(r, 100, 1100)]);
    const flow = chance(r, 0.5);
    const v = flow ? `${'['.repeat(depth)}x${']'.repeat(depth)}` : `${'{a: '.repeat(depth)}x${'}'.repeat(depth)}`;
    return `- rule: y\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n  tags: ${v}\n`;
  }
  // long values and many items
  const n = pick(r, [100, 1000, 5000]);
  const items = Array.from({ length: n }, (_, i) => `v${i}`).join(', ');
  return `- list: big\n  items: [${items}]\n- rule: big\n  desc: d\n  condition: proc.name in (big)\n  output: o\n  priority: INFO\n`;
}

/** Valid YAML spellings yaml-cpp and YAML 1.2 parsers may disagree on. */
function yamlShapesCase(r: Rand): string {
  const cond = pick(r, ['evt.type=open and proc.name=bash', 'evt.type in (open, openat) and not proc.name in (a, b)']);
  const forms: Array<() => string> = [
    () => `%YAML 1.2\n---\n${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}`,
    () => `%YAML 1.1\n---\n${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}`,
    () => `%TAG !e! tag:example.com,2000:\n---\n${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}`,
    () => `%YAML 1.2\n${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}`,
    () => `%FOO bar\n---\n${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}`,
    () => `- rule: dq\n  desc: d\n  condition: "evt.type=open and\n    proc.name=bash"\n  output: o\n  priority: INFO\n`,
    () => `- rule: dq\n  desc: d\n  condition: "evt.type=open and\n${' '.repeat(int(r, 0, 6))}proc.name=bash"\n  output: o\n  priority: INFO\n`,
    () => `- rule: dq\n  desc: d\n  condition: "evt.type=open \\\n  and proc.name=bash"\n  output: o\n  priority: INFO\n`,
    () => `- rule: pl\n  desc: d\n  condition: evt.type=open and\n${' '.repeat(int(r, 0, 8))}proc.name=bash\n  output: o\n  priority: INFO\n`,
    () => `- rule: pl\n  desc: d\n  condition: evt.type=open and\n\n${' '.repeat(int(r, 1, 8))}proc.name=bash\n  output: o\n  priority: INFO\n`,
    () => `- rule: pl\n  desc: a\n${' '.repeat(int(r, 0, 5))}b\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- rule: sq\n  desc: d\n  condition: 'evt.type=open and\n${' '.repeat(int(r, 0, 5))}proc.name=bash'\n  output: o\n  priority: INFO\n`,
    () => `- rule: bs\n  desc: d\n  condition: ${pick(r, ['|', '>', '|-', '>-', '|+', '>+', '|2', '>1-'])}\n    ${cond}\n${' '.repeat(int(r, 2, 6))}and evt.dir=<\n  output: o\n  priority: INFO\n`,
    () => `- rule: fm\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n  tags: {a: 1, b: [x, y]}\n`,
    () => `- {rule: fl, desc: d, condition: "${cond}", output: o, priority: INFO}\n`,
    () => `[{rule: fl, desc: d, condition: evt.type=open, output: o, priority: INFO}]\n`,
    () => `- &r\n  rule: an\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n- *r\n`,
    () => `- macro: m\n  condition: &c evt.type=open\n- rule: an\n  desc: d\n  condition: *c\n  output: o\n  priority: INFO\n`,
    () => `- &b {desc: d, output: o, priority: INFO}\n- <<: *b\n  rule: merged\n  condition: evt.type=open\n`,
    () => `---\n${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}...\n---\n- list: l2\n  items: [a]\n`,
    () => `---\n---\n${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}`,
    () => `--- !!seq\n${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}`,
    () => `- ? rule\n  : ek\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- "rule": qk\n  'desc': d\n  condition: !!str evt.type=open\n  output: !!str o\n  priority: !!str INFO\n`,
    () => `- rule: cm # comment\n  desc: d#not comment\n  condition: evt.type=open # c\n  output: "o" # c\n  priority: INFO\n#end`,
    () => `- rule: dup\n  rule: dup2\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `-   rule: ind\n    desc: d\n    condition: evt.type=open\n    output: o\n    priority: INFO\n`,
    () => `-\n  rule: ind\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- rule: nul\n  desc: ${pick(r, ['~', 'null', 'Null', 'NULL', '', '!!null', '""'])}\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- list: l\n  items: [${pick(r, ['a, ', 'a,,b', '"a" , b', ', a', 'a b c', '[a], b'])}]\n- rule: l\n  desc: d\n  condition: proc.name in (l)\n  output: o\n  priority: INFO\n`,
    () => `- rule: "esc"\n  desc: "${pick(r, ['\\t', '\\x41', '\\u00e9', '\\U0001F600', '\\/', '\\ ', '\\_', '\\N', '\\L', '\\P', '\\0', '\\a', '\\e'])}"\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => pick(r, ['', '\n', '# only a comment\n', '---\n', '~\n', '[]\n', '{}\n', 'x\n', '- \n', '---\n...\n']),
    () => `- rule: t\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n  tags: [${pick(r, ['a: b', '? a', 'a, {b: c}', '"a": b'])}]\n`,
    () => `- rule: lng\n  desc: ${'x'.repeat(int(r, 1000, 1030))}\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- rule: ${'k'.repeat(int(r, 1020, 1030))}\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- ${'k'.repeat(int(r, 1020, 1030))}: 1\n`,
  ];
  return pick(r, forms)();
}

/** YAML that should be refused, each with the position yaml-cpp gives. */
function yamlErrorsCase(r: Rand): string {
  const forms: Array<() => string> = [
    () => `- rule: tab\n\tdesc: d\n  condition: evt.type=open\n`,
    () => `- rule: tab\n  desc: d\n  condition:\tevt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- rule: tab\n  tags:\n\t- a\n`,
    () => `- rule: tab\n  desc: d\n \tcondition: x\n`,
    () => `- rule: "unclosed\n  desc: d\n`,
    () => `- rule: 'unclosed\n  desc: d\n`,
    () => `- rule: x\n  desc: "unclosed`,
    () => `- rule: x\n  tags: [a, b\n  desc: d\n`,
    () => `- rule: x\n  tags: {a: b\n`,
    () => `- rule: x\n  tags: [a, b]]\n`,
    () => `- rule: x\n  tags: a]\n`,
    () => `[- rule: x\n`,
    () => `- rule: x\n  desc: *undefined\n`,
    () => `- *undefined\n`,
    () => `- rule: x\n  desc: "bad \\q escape"\n`,
    () => `- rule: x\n  desc: "bad \\x4 escape"\n`,
    () => `- rule: x\n  desc: "bad \\uZZZZ"\n`,
    () => `- rule: x\n  desc: !!binary aGVsbG8=\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- rule: x\n  desc: !!binary "not base64!"\n`,
    () => `- rule: x\n  desc: !!int 12\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- rule: x\n  desc: !custom d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n`,
    () => `- rule: x\n  tags:\n    - a\n   - b\n`,
    () => `- rule: x\n  tags:\n    - a\n  - b\n`,
    () => `- rule: x\n  desc: d\n - condition: y\n`,
    () => `- list: a\n  items: &i [x, y]\n- list: b\n  items: [*i, z]\n- rule: r\n  desc: d\n  condition: proc.name in (b)\n  output: o\n  priority: INFO\n`,
    () => `- list: a\n  items: [x]\n- list: b\n  items:\n    - &v y\n    - *v\n- rule: r\n  desc: d\n  condition: proc.name in (b, a)\n  output: o\n  priority: INFO\n`,
    () => `- rule: x\n  desc: a: b\n`,
    () => `- rule: x\n  desc: d\n  condition\n  output: o\n`,
    () => `- rule: x\ndesc: d\n`,
    () => `  - rule: x\n - desc: d\n`,
    () => `- rule: x\n  desc: @at\n`,
    () => `- rule: x\n  desc: \`tick\n`,
    () => `- rule: x\n  desc: |\n  bad\n`,
    () => `- rule: x\n  desc: &a1 &a2 d\n`,
    () => `- rule: x\n  desc: !!str !!str d\n`,
    () => `- rule: x\n  ? [a]\n  : b\n`,
    () => `- rule: x\n  desc: "a"b\n`,
    () => `- rule: x\n  desc: 'a'b\n`,
    () => `%YAML 1.2\n%YAML 1.2\n---\n- rule: x\n`,
    () => `%YAML 2.0\n---\n- list: x\n  items: []\n`,
    () => `--- a\n- b\n`,
    () => `- a\nb: c\n`,
    () => `key: value\n`,
    () => `- rule: x\n  condition: >\n    evt.type=open\n   and bad\n`,
    () => `- {rule: x, desc: d,\n}\n`,
    () => `- [a, b\n- c\n`,
    () => `- rule: x\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n...\nfoo\n`,
  ];
  let text = pick(r, forms)();
  if (chance(r, 0.2)) text = `${GOOD_RULE.replace('VAL', 'x').replace('OUT', 'o')}${text}`;
  return text;
}

// ---------------------------------------------------------------- mutation of published rules

let published: string[] | undefined;
function publishedFiles(): string[] {
  if (published === undefined) {
    const dir = new URL('../../../shared/falco-rules/', import.meta.url).pathname;
    published = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => readFileSync(dir + f, 'utf8'));
  }
  return published;
}

function mutate(r: Rand, lines: string[]): void {
  const i = int(r, 0, Math.max(0, lines.length - 1));
  const line = lines[i] ?? '';
  const x = r();
  if (x < 0.1) lines.splice(i, 1);
  else if (x < 0.18) lines.splice(i, 0, line);
  else if (x < 0.26) lines[i] = ` ${line}`;
  else if (x < 0.32) lines[i] = line.replace(/^ /, '');
  else if (x < 0.36) lines[i] = line.replace(/^( *)/, '$1\t');
  else if (x < 0.46 && line.length > 0) {
    const at = int(r, 0, line.length - 1);
    lines[i] = line.slice(0, at) + line.slice(at + 1);
  } else if (x < 0.56 && line.length > 0) {
    const at = int(r, 0, line.length);
    lines[i] = line.slice(0, at) + pick(r, ['"', "'", '(', ')', ':', ' ', '[', ']', '{', '#', ',', '-', '&', '*', '!', '%', '|', '\\', 'x', 'é']) + line.slice(at);
  } else if (x < 0.62) lines[i] = line.replace(/ (and|or) /, pick(r, [' ', ' and and ', ' or ', ' and not ']));
  else if (x < 0.68) lines[i] = line.replace(/(=|!=| in | contains | startswith | endswith | pmatch )/, ` ${pick(r, [...BIN_OPS, ...LIST_OPS])} `);
  else if (x < 0.74) lines[i] = line.replace(/[a-z]+\.[a-z_]+/, pick(r, FIELDS));
  else if (x < 0.8) lines[i] = line.replace(/priority: \w+/, `priority: ${pick(r, PRIORITIES)}`);
  else if (x < 0.85) lines[i] = line.replace(/: (.*)$/, ': ');
  else if (x < 0.9) lines[i] = line.replace(/^(\s*)(\w+):/, `$1${pick(r, ['desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'append', 'items', 'override', 'exceptions', 'bogus', 'source'])}:`);
  else if (x < 0.95) lines.splice(i, 0, pick(r, ['  append: true', '  enabled: false', '  override:\n    condition: append', '- macro: extra\n  condition: evt.type=open', '  frobnicate: 1']));
  else {
    const j = int(r, 0, Math.max(0, lines.length - 1));
    [lines[i], lines[j]] = [lines[j] ?? '', line];
  }
}

function mutationCase(r: Rand): string {
  const files = publishedFiles();
  const text = pick(r, [files[0], files[0], files[1], files[2]]) ?? '';
  let lines = text.split('\n');
  // A slice of the file keeps most runs small; it is cut at an item boundary.
  if (chance(r, 0.7)) {
    const starts = lines.flatMap((l, i) => (l.startsWith('- ') ? [i] : []));
    const from = pick(r, starts.slice(0, Math.max(1, starts.length - 1)));
    const to = starts[Math.min(starts.length - 1, starts.indexOf(from) + int(r, 1, 40))] ?? lines.length;
    lines = [...lines.slice(0, starts[0] ?? 0).filter((l) => !l.startsWith('#')), ...lines.slice(from, to > from ? to : lines.length)];
  }
  for (let k = 0; k < int(r, 1, 3); k++) mutate(r, lines);
  return lines.join('\n');
}

// ---------------------------------------------------------------- entry points

const GENERATORS: Record<Family, (r: Rand) => string | Buffer> = {
  items: itemsCase,
  conditions: conditionsCase,
  exceptions: exceptionsCase,
  overrides: overridesCase,
  outputs: outputsCase,
  plugins: pluginsCase,
  encodings: encodingsCase,
  limits: limitsCase,
  'yaml-shapes': yamlShapesCase,
  'yaml-errors': yamlErrorsCase,
  mutation: mutationCase,
};

/** Case `index` of the run seeded `seed`; families take turns so every slice covers all of them. */
export function generateCase(seed: number, index: number, families: readonly Family[] = FAMILIES): GeneratedCase {
  const family = families[index % families.length] as Family;
  const r = prng((seed * 1_000_003 + index) >>> 0);
  const out = GENERATORS[family](r);
  return { family, id: `${seed}-${index}`, content: typeof out === 'string' ? Buffer.from(out, 'utf8') : out };
}
