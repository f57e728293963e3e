/**
 * The simple YAML reader (src/rules/loader/yaml-simple.ts) against the `yaml` package it stands in
 * for: whatever it accepts must come out as `yaml` composes it (node kinds, told by `yaml`'s own
 * checks; scalar types, values, sources, where every node starts and every scalar's value ends),
 * and `yaml` must find no error in it; everything else it must leave to `yaml`. Checked on the
 * published rules files, on cases written for each shape it reads or refuses, and on thousands of
 * generated texts: documents built from the shapes it reads, windows of the published files with
 * random edits, and the differential run's generated rules files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { parseSimpleYaml } from '../../src/rules/loader/yaml-simple.ts';
import { parseDocuments, YAML_PARSE_OPTIONS } from '../../src/rules/loader/yaml-stream.ts';
import { longKeyError } from '../../src/rules/loader/yaml-errors.ts';
import { generateCase } from '../differential/generate.ts';
import { prng } from '../support/prng.ts';
import { valueOf } from '../support/yaml-values.ts';
import type { Rand } from '../support/prng.ts';

const RULES_DIR = new URL('../../../shared/falco-rules/', import.meta.url).pathname;
const PUBLISHED = readdirSync(RULES_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ name: f, text: readFileSync(RULES_DIR + f, 'utf8') }));

/** Where the two trees first differ, or undefined. */
function difference(ours: unknown, theirs: unknown, path: string): string | undefined {
  const kind = (n: unknown): string => (isScalar(n) ? 'scalar' : isMap(n) ? 'map' : isSeq(n) ? 'seq' : String(n));
  if (kind(ours) !== kind(theirs)) return `${path}: ${kind(ours)} vs ${kind(theirs)}`;
  if (!isScalar(ours) && !isMap(ours) && !isSeq(ours)) return undefined;
  const other = theirs as typeof ours;
  if (ours.range?.[0] !== other.range?.[0]) return `${path}: starts at ${ours.range?.[0]} vs ${other.range?.[0]}`;
  if (isScalar(ours) && isScalar(other)) {
    const a = [ours.type, ours.value, ours.source, ours.range?.[1]];
    const b = [other.type, other.value, other.source, other.range?.[1]];
    return JSON.stringify(a) === JSON.stringify(b) ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  if (isScalar(ours) || isScalar(other)) return `${path}: scalar vs collection`;
  if (Boolean(ours.flow) !== Boolean(other.flow)) return `${path}: flow ${ours.flow} vs ${other.flow}`;
  if (ours.items.length !== other.items.length) return `${path}: ${ours.items.length} vs ${other.items.length} items`;
  for (let i = 0; i < ours.items.length; i++) {
    const a = ours.items[i];
    const b = other.items[i];
    const d = isPair(a) && isPair(b)
      ? (difference(a.key, b.key, `${path}.${i}(key)`) ?? difference(a.value, b.value, `${path}.${i}(value)`))
      : difference(a, b, `${path}[${i}]`);
    if (d !== undefined) return d;
  }
  return undefined;
}

type Outcome = { taken: false } | { taken: true; mismatch?: string };

/** Whether the simple reader took `text`, and if so where it disagrees with `yaml` (if anywhere). */
function compare(text: string): Outcome {
  const ours = parseSimpleYaml(text);
  if (ours === undefined) return { taken: false };
  const theirs = parseAllDocuments(text, YAML_PARSE_OPTIONS) as Document.Parsed[];
  if (theirs.length !== 1 || ours.length !== 1) return { taken: true, mismatch: `${ours.length} vs ${theirs.length} documents` };
  const [doc] = theirs as [Document.Parsed];
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message.split('\n')[0]);
  if (problems.length > 0) return { taken: true, mismatch: `yaml reports: ${problems.join('; ')}` };
  const d = difference(ours[0]?.contents, doc.contents, '$');
  return d === undefined ? { taken: true } : { taken: true, mismatch: d };
}

/** Runs every text; fails on the first few disagreements, shown with their text; returns how many were taken. */
function compareAll(texts: Iterable<{ label: string; text: string }>): { taken: number; total: number } {
  let taken = 0;
  let total = 0;
  const failures: string[] = [];
  for (const { label, text } of texts) {
    total++;
    const outcome = compare(text);
    if (!outcome.taken) continue;
    taken++;
    if (outcome.mismatch !== undefined && failures.length < 3) failures.push(`${label}: ${outcome.mismatch}\n${text}`);
  }
  assert.deepEqual(failures, []);
  return { taken, total };
}

test('the published rules files are read by the simple reader, exactly as yaml composes them', () => {
  for (const { name, text } of PUBLISHED) {
    const outcome = compare(text);
    assert.ok(outcome.taken, `${name} was left to yaml`);
    assert.equal(outcome.mismatch, undefined, name);
  }
});

test('each shape the simple reader reads comes out as yaml composes it', () => {
  const cases = [
    '- rule: a\n  desc: d # comment\n  enabled: true\n',
    '- list: l\n  items: [a, "b c", \'it\'\'s\', -1, x:y, http://h/p, [n, [m]]]\n',
    '- list: l\n  items: [\n    a, b,\n    c\n  ]\n',
    '- list: l\n  items: [\n    a\n    ]\n- list: m\n  items: []\n',
    'a: [\n x\n]\n',
    '- macro: m\n  condition: >\n    a and\n      (b or\n       c)\n\n    and d\n\n  next: x\n',
    '- rule: r\n  output: |-\n    line one\n     indented\n\n    three\n# after\n',
    '- rule: r\n  condition: a\n    and b\n\n    and c\n  desc: d\n',
    '- rule: r\n  condition:\n    evt.type = open\n    and fd.num >= 0\n',
    '- a:\n  b:   \n  c:  # only a comment\n-\n- \n-   # comment\n',
    '- exceptions:\n  - name: e\n    fields: [proc.name]\n    values:\n      - [bash]\n  after: x\n',
    '- "q \\" \\\\ \\/ \\n \\t end"\n- \'single \'\'quoted\'\'\'\n',
    'key : value\nother:\n  - 1\n  - 2\n',
    '# head\n\n- a\n- b\n\n# tail\n',
    '- ü: café\n  n: 日本\n',
    '- a: >-\n    folded\n    stripped\n- b: x',
  ];
  for (const text of cases) {
    const outcome = compare(text);
    assert.ok(outcome.taken, `left to yaml: ${JSON.stringify(text)}`);
    assert.equal(outcome.mismatch, undefined, JSON.stringify(text));
  }
});

test('what the simple reader does not read is left to yaml', () => {
  const cases = [
    '- &a x\n- *a\n',
    '- !tag x\n',
    '- {a: b}\n',
    '- a: 1\r\n',
    '- a:\tb\n',
    '- "multi\n  line"\n',
    '---\n- a\n',
    '%YAML 1.2\n---\n- a\n',
    '- a: |+\n    keep\n\n',
    '- a: |2\n    x\n',
    '- ? complex\n  : value\n',
    '- "quoted": key\n',
    'scalar at the root\n',
    '- rule: x\ndesc: second document to yaml-cpp\n',
    '- a: [x, y,]\n',
    '- a: b: c\n',
    '- a: "\\x41"\n',
    '',
    '# only a comment\n',
    '  - indented root\n',
    '- a: [x # comment\n  ]\n',
  ];
  for (const text of cases) assert.equal(parseSimpleYaml(text), undefined, `taken: ${JSON.stringify(text)}`);
  // and the loader's parse then is yaml's, with yaml-cpp's readings (yaml-stream.ts)
  assert.deepEqual(parseDocuments('- rule: x\ndesc: second document to yaml-cpp\n').map(valueOf), [[{ rule: 'x' }], { desc: 'second document to yaml-cpp' }]);
  assert.deepEqual(parseDocuments('- &a x\n- *a\n').map(valueOf), [['x', 'x']]);
});

// ---- generated texts

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const WORDS = ['a', 'evt.type', 'proc.name=bash', '-1', '--flag', 'x:y', 'http://h/p', 'a b', '(x or y)', "it's", 'say "hi"', '%user.name', '~', 'null', 'a#b', 'ü', 'a  b', 'and', ']', ':x', '-', '?x', '@x', ''];
const word = (r: Rand): string => pick(r, WORDS);

/** A scalar or flow sequence placed after `key:` or `- ` in a parent at column `indent`. */
function inlineValue(r: Rand, indent: number, depth: number): string {
  const kind = Math.floor(r() * 7);
  if (kind === 0) return `"${word(r).replace(/"/g, pick(r, ['\\"', '\\\\', '\\n', '\\t', '\\/', '\\ ', '\\x41']))}"`;
  if (kind === 1) return `'${word(r).replace(/'/g, "''")}'`;
  if (kind === 2) {
    const body = indent + 1 + Math.floor(r() * 3);
    const lines: string[] = [];
    for (let n = 1 + Math.floor(r() * 5); n > 0; n--) {
      const t = r();
      if (t < 0.15) lines.push(pick(r, ['', ' '.repeat(body), ' '.repeat(body + 1), ' ']));
      else if (t < 0.3) lines.push(' '.repeat(body + 1 + Math.floor(r() * 2)) + word(r));
      else lines.push(' '.repeat(body) + word(r) + (r() < 0.1 ? ' # not a comment' : ''));
    }
    const after = r() < 0.3 ? `\n${pick(r, ['', `${' '.repeat(indent)}# after`, ' '.repeat(body)])}` : '';
    return `${pick(r, ['|', '>', '|-', '>-', '>+', '|2', '> # c'])}\n${lines.join('\n')}${after}`;
  }
  if (kind === 3) {
    const items: string[] = [];
    for (let n = Math.floor(r() * 4); n > 0; n--) {
      items.push(r() < 0.15 && depth < 3 ? `[${word(r)}]` : r() < 0.2 ? `"${word(r)}"` : word(r));
    }
    const gap = (): string => (r() < 0.3 ? `\n${' '.repeat(Math.max(0, indent + Math.floor(r() * 4) - 1))}` : ' ');
    return `[${r() < 0.3 ? gap() : ''}${items.join(`,${gap()}`)}${r() < 0.3 ? gap() : ''}${r() < 0.05 ? ',' : ''}]${r() < 0.1 ? ' # c' : ''}`;
  }
  if (kind === 4) {
    let text = word(r) || 'w';
    for (let n = Math.floor(r() * 3); n > 0; n--) text += `${r() < 0.3 ? '\n' : ''}\n${' '.repeat(indent + Math.floor(r() * 3))}${word(r) || 'z'}`;
    return text;
  }
  if (kind === 5) return '';
  return word(r) + (r() < 0.15 ? pick(r, [' # c', '  ', ' #', '#x']) : '');
}

function value(r: Rand, indent: number, depth: number): string {
  const t = r();
  if (depth > 3 || t < 0.55) {
    const text = inlineValue(r, indent, depth);
    return text === '' ? '' : ` ${text}`;
  }
  const child = indent + 1 + Math.floor(r() * 3);
  return t < 0.8 ? `\n${mapping(r, child, depth + 1)}` : `\n${sequence(r, r() < 0.2 ? indent : child, depth + 1)}`;
}

function mapping(r: Rand, indent: number, depth: number): string {
  const lines: string[] = [];
  for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
    lines.push(' '.repeat(indent) + pick(r, ['rule', 'desc', 'condition', 'items', 'k', 'a b', 'x-y']) + pick(r, [':', ':', ' :']) + value(r, indent, depth));
    if (r() < 0.15) lines.push(pick(r, ['', '# c', `${' '.repeat(indent)}# c`, '   ']));
  }
  return lines.join('\n');
}

function sequence(r: Rand, indent: number, depth: number): string {
  const lines: string[] = [];
  for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
    const pad = ' '.repeat(indent);
    if (r() < 0.5) lines.push(`${pad}- ${mapping(r, indent + 2, depth + 1).slice(indent + 2)}`);
    else lines.push(`${pad}-${value(r, indent, depth)}`);
    if (r() < 0.15) lines.push(pick(r, ['', '# c', `${pad}# c`]));
  }
  return lines.join('\n');
}

/** A document made of the shapes the reader handles, and some it refuses, in random nestings. */
function shapedDocument(r: Rand): string {
  return (r() < 0.1 ? '# head\n' : '') + (r() < 0.85 ? sequence(r, 0, 0) : mapping(r, 0, 0)) + pick(r, ['\n', '\n', '', '\n\n', '\n# end\n']);
}

const EDITS = [': ', ' #', '#', '- ', '"', "'", '[', ']', ',', '>', '|', '|-', '>-', '\n', '\n\n', '  ', ' ', 'x: ', '-', '\\n', '\\', '&a ', '*a', '!t ', '{', '}', '?', ':', '%', '@', '~', "''", '  - ', '\n  ', '\n    ', '\n- ', 'a:', '[a, b]', '"q"'];

/** A window of a published rules file (from an item's `- `) with one to three random edits. */
function editedWindow(r: Rand, text: string): string {
  const lines = text.split('\n');
  const starts = lines.flatMap((l, i) => (l.startsWith('- ') ? [i] : []));
  const from = pick(r, starts);
  let window = lines.slice(from, from + 10 + Math.floor(r() * 50));
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const at = Math.floor(r() * window.length);
    const line = window[at] ?? '';
    const op = Math.floor(r() * 8);
    if (op === 0) window[at] = ' '.repeat(1 + Math.floor(r() * 3)) + line;
    else if (op === 1) window[at] = line.replace(/^ {1,2}/, '');
    else if (op <= 3) {
      const col = Math.floor(r() * (line.length + 1));
      window[at] = line.slice(0, col) + pick(r, EDITS) + line.slice(col);
    } else if (op === 4) {
      const col = Math.floor(r() * line.length);
      window[at] = line.slice(0, col) + line.slice(col + 1 + Math.floor(r() * 5));
    } else if (op === 5) window.splice(at, 0, line);
    else if (op === 6 && at + 1 < window.length) {
      window[at] = window[at + 1] ?? '';
      window[at + 1] = line;
    } else window = window.slice(0, at + 1);
  }
  const out = window.join('\n');
  const t = r();
  return t < 0.3 ? out.slice(0, Math.floor(r() * out.length)) : t < 0.8 ? `${out}\n` : out;
}

function* generated(count: number, seed: number, make: (r: Rand, i: number) => string, label: string): Generator<{ label: string; text: string }> {
  const r = prng(seed);
  for (let i = 0; i < count; i++) yield { label: `${label} #${i} (seed ${seed})`, text: make(r, i) };
}

test('generated documents of the shapes it reads: whatever it takes is what yaml composes', () => {
  const { taken, total } = compareAll(generated(2500, 11, shapedDocument, 'shaped'));
  // most texts hold something it refuses; enough must be taken for this to test anything
  assert.ok(taken >= total * 0.1, `only ${taken} of ${total} taken`);
});

test('published rules files with random edits: whatever it takes is what yaml composes', () => {
  const { taken, total } = compareAll(generated(2500, 12, (r, i) => editedWindow(r, (PUBLISHED[i % PUBLISHED.length] as { text: string }).text), 'edited'));
  assert.ok(taken >= total * 0.3, `only ${taken} of ${total} taken`);
});

test('the differential run\'s generated rules files: whatever it takes is what yaml composes', () => {
  const { taken, total } = compareAll(generated(1500, 13, (_, i) => generateCase(13, i).content.toString('utf8'), 'differential'));
  assert.ok(taken >= total * 0.3, `only ${taken} of ${total} taken`);
});

test('a key longer than yaml-cpp\'s 1024 characters is its "illegal map value", found by the line-length screen', () => {
  const keyed = (length: number): string => `- rule: r\n  ${'k'.repeat(length)}: v\n`;
  const at = (text: string): string | undefined => longKeyError(text, parseDocuments(text))?.message;
  assert.equal(at(keyed(1024)), undefined);
  assert.equal(at(keyed(1025)), 'yaml-cpp: error at line 2, column 1028: illegal map value');
  // a long value is not a long key; nor is a long line when the file has no long key
  assert.equal(at(`- rule: r\n  desc: ${'d'.repeat(3000)}\n`), undefined);
  assert.equal(at(`- rule: r\n  ${'k'.repeat(1025)}: v`), 'yaml-cpp: error at line 2, column 1028: illegal map value');
});
