import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFalcoJson, formatFalcoText, parseFalcoValidationOutput } from '../../src/rules/index.ts';
import { rule, validateOne } from './helpers.ts';

/** Reading `falco -V` output back: the engine's own renderings are valid test input for it. */
const WARNINGS = `- macro: unused\n  condition: evt.type = open\n${rule('r', { condition: 'proc.name = x' })}`;
const BROKEN = rule('r', { condition: 'evt.type = open and proc.nobody = x' });

test('JSON output round-trips into the same diagnostics', () => {
  for (const content of [WARNINGS, BROKEN]) {
    const v = validateOne(content);
    const parsed = parseFalcoValidationOutput(formatFalcoJson(v));
    assert.equal(parsed.format, 'json');
    assert.equal(parsed.ok, v.ok);
    assert.deepEqual(parsed.errors, v.errors);
    assert.deepEqual(parsed.warnings, v.warnings);
  }
});

test('text output gives the verdict, codes, messages and lines of errors', () => {
  const v = validateOne(BROKEN);
  const parsed = parseFalcoValidationOutput(formatFalcoText(v));
  assert.equal(parsed.format, 'text');
  assert.equal(parsed.ok, false);
  assert.deepEqual(
    parsed.errors.map((e) => [e.code, e.message, e.line, e.itemKind, e.itemName, e.snippet]),
    v.errors.map((e) => [e.code, e.message, e.line, e.itemKind, e.itemName, e.snippet]),
  );
});

test('"Ok, with warnings" in text form is a valid file', () => {
  const parsed = parseFalcoValidationOutput(formatFalcoText(validateOne(WARNINGS)));
  assert.equal(parsed.ok, true);
  assert.equal(parsed.files[0]?.name, 'rules.yaml');
});

test('several JSON documents on stdout are read in order, log lines ignored', () => {
  const first = formatFalcoJson(validateOne(WARNINGS));
  const second = formatFalcoJson(validateOne(BROKEN));
  const parsed = parseFalcoValidationOutput(`Sat Nov 28 09:03:21 2026: Validating rules file(s):\n${first}${second}`);
  assert.equal(parsed.files.length, 2);
  assert.equal(parsed.ok, false);
});

test('no output and an Error line on stderr is a fatal error', () => {
  const parsed = parseFalcoValidationOutput('', 'Error: Plugin requirement not satisfied, must load one of: container (>= 0.4.0)\n');
  assert.equal(parsed.ok, false);
  assert.equal(parsed.fatalError, 'Plugin requirement not satisfied, must load one of: container (>= 0.4.0)');
});
