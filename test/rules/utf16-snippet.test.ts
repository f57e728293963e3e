import { test } from 'node:test';
import assert from 'node:assert/strict';
import { falcoValidateCommand } from '../../src/rules/falco-command.ts';

const utf16le = (text: string): Uint8Array => new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);

test('a UTF-16 file whose report cuts a snippet from its first bytes stops the JSON document, as Falco does', () => {
  // a scalar document: "Rules content is not yaml", marked at offset 0
  const out = falcoValidateCommand([{ name: 'r.yaml', bytes: utf16le('just text\n') }], { json: true });
  assert.equal(out.stdout, '');
  assert.equal(out.exitCode, 1);
  assert.match(out.stderr, /invalid UTF-8 byte at index 0: 0xFF/);
});

test('a valid UTF-16 file still loads', () => {
  const rule = '- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n';
  const out = falcoValidateCommand([{ name: 'r.yaml', bytes: utf16le(rule) }], { json: true });
  assert.equal(out.exitCode, 0, out.stderr);
});
