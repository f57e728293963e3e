import { test } from 'node:test';
import assert from 'node:assert/strict';
import { falcoProfile, falcoValidateCommand, falcoVersionOfImageTag, validateRuleFiles } from '../../src/rules/index.ts';
import { rule } from './helpers.ts';

/** Behaviour that depends on the Falco release, as measured on the real 0.42.1 and 0.44.1. */
const one = (content: string, falcoVersion?: string): ReturnType<typeof validateRuleFiles> =>
  validateRuleFiles([{ name: 'rules.yaml', content }], falcoVersion === undefined ? {} : { falcoVersion });

const requires = (name: string, version: string, alt?: string): string =>
  `- required_plugin_versions:\n  - name: ${name}\n    version: ${version}\n${alt === undefined ? '' : `    alternatives:\n      - name: ${alt}\n        version: 0.1.0\n`}`;

test('a required plugin that is not loaded stops Falco: empty stdout, exit 1, reason on stderr', () => {
  const out = falcoValidateCommand([{ name: 'r.yaml', bytes: Buffer.from(requires('k8saudit', '0.1.0', 'foo') + rule('r')) }], { json: true });
  assert.deepEqual(out, {
    stdout: '',
    stderr: 'Error: Plugin requirement not satisfied, must load one of: k8saudit (>= 0.1.0), foo (>= 0.1.0)\n',
    exitCode: 1,
  });
});

test('a too-new plugin version names the loaded version of the modelled release', () => {
  const v42 = one(requires('container', '0.7.2'), '0.42.1');
  const v44 = one(requires('container', '0.7.2'), '0.44.1');
  assert.equal(v42.fatal, "Plugin 'container' version '0.4.1' is not compatible with required plugin version '0.7.2'");
  assert.equal(v44.fatal, "Plugin 'container' version '0.7.1' is not compatible with required plugin version '0.7.2'");
  assert.equal(v44.ok, false);
  assert.equal(v44.errors.at(-1)?.message, v44.fatal);
  assert.equal(one(requires('container', '0.5.0'), '0.44.1').fatal, undefined);
});

test('the plugin check runs even when a file is invalid (Falco prints no report then)', () => {
  const v = one(requires('foo', '1.0.0') + rule('r', { condition: 'evt.type=open and' }));
  assert.match(v.fatal ?? '', /must load one of: foo/);
});

test('for a release no model covers, version-dependent refusals are warnings', () => {
  const v = one(requires('container', '0.9.0'), '0.50.0');
  assert.equal(v.ok, true);
  assert.equal(v.modelledFalcoVersion, undefined);
  assert.match(v.warnings.map((w) => w.message).join('\n'), /Falco 0\.50\.0 is not modelled; it may refuse these rules: Plugin 'container'/);
});

test("exceptions with 'startswith oneof' are refused by 0.42.1 and accepted by 0.44.1", () => {
  const content = rule('r', { extra: '  exceptions:\n    - name: e\n      fields: fd.name\n      comps: startswith oneof\n      values: [/tmp, /var]' });
  assert.equal(one(content, '0.42.1').ok, false);
  assert.deepEqual(one(content, '0.44.1').errors, []);
});

test('for a release no model covers, what only some modelled release refuses is a warning naming it; what all refuse stays an error', () => {
  const oneof = rule('r', { extra: '  exceptions:\n    - name: e\n      fields: fd.name\n      comps: startswith oneof\n      values: [/tmp, /var]' });
  const v = one(oneof, 'unknown (site-build)');
  assert.equal(v.ok, true);
  assert.equal(v.modelledFalcoVersion, undefined);
  assert.equal(v.falcoVersion, 'unknown (site-build)');
  assert.ok(v.warnings.some((w) => /^Falco 0\.42\.1 refuses this \(When fields is a single value, comps must be one of \(in, pmatch, intersects\)\); Falco unknown \(site-build\) is not modelled/.test(w.message)), JSON.stringify(v.warnings));
  assert.match(v.versionNotes.join('\n'), /as Falco 0\.42\.1 does/);
  // Refused by 0.44.1 only (the engine version it runs is newer than 0.42.1's): a warning too.
  assert.equal(one('- required_engine_version: 0.60.0\n', 'unknown (site-build)').ok, true);
  // Refused by every modelled release: an error whatever the release.
  const broken = one(rule('r', { condition: 'evt.type = open and' }), 'unknown (site-build)');
  assert.equal(broken.ok, false);
  assert.equal(broken.errors[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
});

test('required_engine_version is checked against each release engine', () => {
  const content = '- required_engine_version: 0.62.0\n';
  assert.match(one(content, '0.42.1').errors[0]?.message ?? '', /engine version is 0\.57\.0/);
  assert.equal(one(content, '0.44.1').ok, true);
});

test('a UTF-8 byte-order mark is skipped; invalid UTF-8 that reaches the JSON stops Falco', () => {
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rule('r'))]);
  assert.equal(falcoValidateCommand([{ name: 'r.yaml', bytes: bom }], { json: true }).exitCode, 0);
  const bad = Buffer.from(rule('r', { priority: 'INFO' }).replace('INFO', '\u0000INFO'), 'latin1');
  bad[bad.indexOf(0)] = 0xff;
  const out = falcoValidateCommand([{ name: 'r.yaml', bytes: bad }], { json: true });
  assert.equal(out.stdout, '');
  assert.match(out.stderr, /^Runtime error: \[json\.exception\.type_error\.316\] invalid UTF-8 byte at index \d+: 0xFF\. Exiting\.\n$/);
});

test('image tags name the release to model', () => {
  assert.equal(falcoVersionOfImageTag('0.44.1'), '0.44.1');
  assert.equal(falcoVersionOfImageTag('0.42.1-debian'), '0.42.1');
  assert.equal(falcoVersionOfImageTag('latest'), undefined);
  assert.equal(falcoProfile().falcoVersion, '0.44.1');
  assert.equal(falcoProfile('0.42.1').modelled, '0.42.1');
});
