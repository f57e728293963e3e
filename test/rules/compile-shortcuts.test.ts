/**
 * Two shortcuts in loading a rules file, held to the plain algorithms they stand in for:
 *
 * - `substituteLists` tries only the lists a condition can name; the plain way, as Falco does, is
 *   `substituteList` with every list in load order. Same text and same lists marked used, on
 *   generated lists and conditions built to collide (names inside other names, in quotes, next to
 *   every delimiter, names that are not one word, items naming later and earlier lists) and on
 *   every condition of the published files and of the differential run's generated files.
 * - `schemaStatus` answers "ok" from a walk that builds no messages, and walks again with messages
 *   only when that fails; `schemaMessages` always walks with messages. Same answer, in both
 *   schema generations, on the published files, on random edits of them, and on the differential
 *   run's files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Collector } from '../../src/rules/loader/collector.ts';
import { compileLists, indexLists, substituteList, substituteLists } from '../../src/rules/loader/compile-lists.ts';
import type { CompiledList } from '../../src/rules/loader/compile-lists.ts';
import { readRulesFile } from '../../src/rules/loader/reader.ts';
import { LoadResult } from '../../src/rules/loader/result.ts';
import { SchemaDepthError, schemaMessages, schemaStatus } from '../../src/rules/loader/schema.ts';
import { SourceRegistry } from '../../src/rules/loader/sources.ts';
import { lineStarts, parseYaml, YamlView } from '../../src/rules/loader/yaml-view.ts';
import { DEFAULT_LIMITS } from '../../src/rules/validate.ts';
import { generateCase } from '../differential/generate.ts';
import { prng } from '../support/prng.ts';
import type { Rand } from '../support/prng.ts';

const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, 0, xs.length - 1)] as T;
const chance = (r: Rand, p: number): boolean => r() < p;

const RULES_DIR = new URL('../../../shared/falco-rules/', import.meta.url).pathname;
const PUBLISHED = readdirSync(RULES_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(`${RULES_DIR}${f}`, 'utf8'));
const DIFFERENTIAL = Array.from({ length: 1500 }, (_, i) => generateCase(21, i).content.toString('utf8'));

/** Falco's way: each list in load order, on the text the previous ones left. */
function substitutePlainly(cnd: string, lists: readonly CompiledList[]): string {
  let text = cnd;
  for (const list of lists) {
    const substituted = substituteList(text, list);
    if (substituted !== undefined) {
      text = substituted;
      list.used = true;
    }
  }
  return text;
}

const fresh = (lists: readonly CompiledList[]): CompiledList[] => lists.map((l) => ({ ...l, used: false }));

/** Both ways on fresh copies of the lists: the texts and the names marked used must agree. */
function assertSame(cnd: string, lists: readonly CompiledList[], label: string): void {
  const plain = fresh(lists);
  const quick = fresh(lists);
  const expected = substitutePlainly(cnd, plain);
  assert.equal(substituteLists(cnd, quick, indexLists(quick)), expected, `${label}: ${JSON.stringify(cnd)}`);
  assert.deepEqual(quick.map((l) => l.used), plain.map((l) => l.used), `${label}: used lists of ${JSON.stringify(cnd)}`);
}

// Words that are list names, parts of names, or names with a delimiter or blank in them.
const VOCABULARY = ['a', 'b', 'ab', 'a_b', 'shell', 'shell_binaries', 'bin', 'x.y', 'a b', 'a(b', 'k=v', 'c,d', ' ', 'evt', 'open'];
const JOINS = [' ', '  ', '(', ')', ',', '=', ', ', ' in (', ') and ', '"', "'", '\t', '\n', '.', '-', ''];

function generatedLists(r: Rand): CompiledList[] {
  const names = new Set<string>();
  for (let n = int(r, 1, 7); names.size < n; ) names.add(pick(r, VOCABULARY));
  return [...names].map((name) => ({
    name,
    // items: plain words, other lists' names (before and after), quoted items, items with blanks
    items: Array.from({ length: int(r, 0, 4) }, () => pick(r, [...VOCABULARY, '"q t"', "'s'", 'x y', '/bin/sh'])),
    used: false,
  }));
}

function generatedCondition(r: Rand): string {
  let text = '';
  for (let n = int(r, 1, 9); n > 0; n--) text += pick(r, JOINS) + pick(r, VOCABULARY);
  return text + (chance(r, 0.5) ? pick(r, JOINS) : '');
}

test('substituting only the lists a condition names gives what substituting every list in turn gives: generated', () => {
  const r = prng(31);
  let changed = 0;
  for (let i = 0; i < 6000; i++) {
    const lists = generatedLists(r);
    const cnd = generatedCondition(r);
    assertSame(cnd, lists, `case ${i}`);
    if (substitutePlainly(cnd, fresh(lists)) !== cnd) changed += 1;
  }
  // the cases must exercise substitution, not only conditions that name no list
  assert.ok(changed > 3000, `only ${changed} of 6000 generated conditions had a list substituted`);
});

test('substituting only the lists a condition names gives what substituting every list in turn gives: rules files', () => {
  let conditions = 0;
  let changed = 0;
  for (const [i, content] of [...PUBLISHED, ...DIFFERENTIAL].entries()) {
    // read only: the conditions as collected, before any compile step can stop at one of them
    const res = new LoadResult(`f${i}.yaml`);
    const collector = new Collector(new SourceRegistry(['syscall']), res);
    readRulesFile(content, res.name, collector, res, DEFAULT_LIMITS, { parseCache: false });
    const lists = compileLists(collector.lists);
    for (const item of [...collector.macros.values(), ...collector.rules.values()]) {
      if (typeof item.cond !== 'string') continue;
      assertSame(item.cond, lists, `file ${i}, ${item.name}`);
      conditions += 1;
      if (substitutePlainly(item.cond, fresh(lists)) !== item.cond) changed += 1;
    }
  }
  assert.ok(conditions > 5000 && changed > 500, `${conditions} conditions, ${changed} with a list substituted`);
});

/** Per document of the text: the shortcut's answer and the full walk's (or the error both throw). */
function bothWays(content: string, wide: boolean): { quick: unknown[]; full: unknown[] } {
  const starts = lineStarts(content);
  const quick: unknown[] = [];
  const full: unknown[] = [];
  let docs;
  try {
    docs = parseYaml(content).docs;
  } catch {
    return { quick, full };
  }
  for (const doc of docs) {
    const view = new YamlView(starts, doc, { remaining: DEFAULT_LIMITS.maxAliases }, content);
    for (const [out, walk] of [[quick, schemaStatus], [full, schemaMessages]] as const) {
      try {
        out.push(walk(view, view.resolve(doc.contents), DEFAULT_LIMITS.maxYamlDepth, wide));
      } catch (error) {
        if (!(error instanceof SchemaDepthError) && !(error instanceof RangeError)) throw error;
        out.push(`${error.constructor.name}: ${error.message}`);
      }
    }
  }
  return { quick, full };
}

/** A published file with a few random edits: a key renamed, a value made a list, a line dropped. */
function edited(r: Rand, text: string): string {
  const lines = text.split('\n');
  for (let n = int(r, 1, 4); n > 0; n--) {
    const at = int(r, 0, lines.length - 1);
    const line = lines[at] ?? '';
    switch (int(r, 0, 4)) {
      case 0: lines[at] = line.replace(/^(\s*-?\s*)(\w+):/, (_, lead: string, key: string) => `${lead}${pick(r, ['priority', 'enabled', 'tags', 'bogus', 'override', key + 'x'])}:`); break;
      case 1: lines[at] = line.replace(/: .*$/, `: ${pick(r, ['[a, b]', '{a: b}', 'true', '12', 'NOTICE', 'notice', '', '- x'])}`); break;
      case 2: lines.splice(at, 1); break;
      case 3: lines.splice(at, 0, pick(r, ['  override:', '    condition: append', '  exceptions:', '    - name: x', '  capture_duration: 10', '  enabled: maybe'])); break;
      default: lines[at] = `  ${line}`;
    }
  }
  return lines.join('\n');
}

test('the schema check answers as the full walk does: published files, random edits, generated files', () => {
  const r = prng(32);
  const texts = [...PUBLISHED, ...DIFFERENTIAL, ...Array.from({ length: 1500 }, (_, i) => edited(r, PUBLISHED[i % PUBLISHED.length] ?? ''))];
  let ok = 0;
  let failed = 0;
  for (const [i, text] of texts.entries()) {
    for (const wide of [false, true]) {
      const { quick, full } = bothWays(text, wide);
      assert.deepEqual(quick, full, `text ${i} (wide: ${wide})`);
      for (const status of full) {
        if (Array.isArray(status) && status[0] === 'ok') ok += 1;
        else failed += 1;
      }
    }
  }
  // both answers must be common, or the comparison proves little
  assert.ok(ok > 1000 && failed > 1000, `${ok} documents passed, ${failed} failed`);
});
