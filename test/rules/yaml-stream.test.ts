import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocuments } from '../../src/rules/loader/yaml-stream.ts';
import { yamlDepthError } from '../../src/rules/loader/yaml-depth.ts';
import { nodeAt, valueOf } from '../support/yaml-values.ts';

const values = (content: string): unknown[] => parseDocuments(content).map(valueOf);
const errors = (content: string): string[] => parseDocuments(content).flatMap((d) => d.errors.map((e) => e.code));

test('a quoted scalar continued on a less-indented line reads as yaml-cpp reads it, with marks on the original text', () => {
  const content = '- rule: dq\n  condition: "evt.type=open and\nproc.name=bash"\n  output: o\n';
  assert.deepEqual(errors(content), []);
  assert.deepEqual(values(content), [[{ rule: 'dq', condition: 'evt.type=open and proc.name=bash', output: 'o' }]]);
  const [doc] = parseDocuments(content);
  const output = (doc === undefined ? undefined : nodeAt(doc, [0, 'output'])) as { range: [number, number, number] } | undefined;
  assert.equal(content.slice(output?.range[0], output?.range[1]), 'o');
});

test('an unclosed quote runs to the end of a file that ends with a line break, and fails without one', () => {
  assert.deepEqual(values("- rule: 'unclosed\n  desc: d\n"), [[{ rule: 'unclosed desc: d ' }]]);
  assert.ok(errors("- rule: 'unclosed\n  desc: d").length > 0);
});

test('a document indicator inside a quoted scalar is still an error', () => {
  assert.ok(errors('- rule: "a\n---\nb"\n').length > 0);
});

test('text after a complete root collection at column 0 starts a new document, as in yaml-cpp', () => {
  assert.deepEqual(values('- rule: x\ndesc: d\n'), [[{ rule: 'x' }], { desc: 'd' }]);
  assert.deepEqual(values('- a\n- b\n'), [['a', 'b']]);
});

test('a byte-order mark after the start is a character of a plain scalar, not a document prefix', () => {
  assert.deepEqual(values('- a\n\uFEFF\n'), [['a'], '\uFEFF']);
});

test('nesting is refused at yaml-cpp\'s depth (500) with its mark, without composing the document', () => {
  const head = '- rule: y\n  tags: ';
  assert.equal(yamlDepthError(`${head}${'['.repeat(496)}x${']'.repeat(496)}\n`), undefined);
  const seq = `${head}${'['.repeat(497)}x${']'.repeat(497)}\n`;
  assert.equal(yamlDepthError(seq)?.message, `yaml-cpp: error at line 2, column ${8 + 497 * 2 + 1 + 1}: bad file`);
  const map = `${head}${'{a: '.repeat(600)}x${'}'.repeat(600)}\n`;
  assert.equal(yamlDepthError(map)?.message, 'yaml-cpp: error at line 2, column 1996: bad file');
  assert.equal(yamlDepthError('- rule: x\n  desc: d\n'), undefined);
});

test('a second byte-order mark at the start is a character: a comment after it is part of a plain scalar', () => {
  assert.ok(errors('\uFEFF# comment\n- rule: enc\n').length > 0);
});
