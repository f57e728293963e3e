/**
 * Stack traces of the shipped bundle mapped back to the TypeScript sources (src/cli/source-maps.ts),
 * read against the real dist/cli/ and its maps.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { mapStack } from '../../src/cli/source-maps.ts';
import { VALIDATE_FIRST_RUN } from '../../src/cli/snapshot/names.ts';
import { shippedCli } from '../support/shipped-cli.ts';

const main = shippedCli();
const mainUrl = pathToFileURL(main).href;
const bundle = dirname(main);

/** `at f (<url>:line:column)` for the first occurrence of `text` in a bundled file, as V8 prints it (1-based). */
function frameAt(file: string, text: string): string {
  const code = readFileSync(join(bundle, file), 'utf8');
  const at = code.indexOf(text);
  assert.ok(at >= 0, `${text} is not in ${file}`);
  const before = code.slice(0, at).split('\n');
  return `    at f (${pathToFileURL(join(bundle, file)).href}:${before.length}:${(before.at(-1) ?? '').length + 1})`;
}

describe('stack traces of the bundle', () => {
  it('name the TypeScript source of a frame in a chunk', () => {
    const mapped = mapStack(`Error: x\n${frameAt('main.js', 'enableCompileCache)(')}`, mainUrl);
    assert.match(mapped, /^Error: x\n {4}at f \(src\/cli\/main\.ts:\d+:\d+\)$/);
  });

  it('name the source of a frame in a CommonJS script, printed as a path: the first-run script and a package it loads on demand', () => {
    const cases: Array<[string, string, RegExp]> = [
      [VALIDATE_FIRST_RUN, 'function plainValidateArgs(', /^ {4}at f \(src\/cli\/commands\/validate\.ts:\d+:\d+\)$/],
      ['commander.cjs', 'CommanderError=class extends Error', /^ {4}at f \(node_modules\/commander\/lib\/error\.js:\d+:\d+\)$/],
    ];
    for (const [file, text, source] of cases) {
      const frame = frameAt(file, text).replace(pathToFileURL(join(bundle, file)).href, join(bundle, file));
      assert.match(mapStack(frame, mainUrl), source, file);
    }
  });

  it('keep the bundle position of a frame in a stand-in for a built-in module, and of a frame outside the bundle', () => {
    // A chunk that only holds the stand-in for node:fs (its source is not a file).
    const standIn = readdirSync(bundle).find((f) => f.endsWith('.js.map') && (JSON.parse(readFileSync(join(bundle, f), 'utf8')) as { sources: string[] }).sources.join() === 'builtin-through-require:node:fs');
    assert.ok(standIn !== undefined, 'a chunk made of the stand-in for node:fs');
    const frame = frameAt(standIn.replace(/\.map$/, ''), '__require("node:fs")');
    const outside = '    at g (node:internal/fs/utils:1:2)\n    at h (file:///elsewhere/app.js:3:4)';
    assert.equal(mapStack(`Error: y\n${frame}\n${outside}`, mainUrl), `Error: y\n${frame}\n${outside}`);
  });
});
