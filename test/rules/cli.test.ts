import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launcherEnv, shippedLauncher } from '../support/shipped-cli.ts';
import { SHARED, rule } from './helpers.ts';

/** `falconer validate` prints what `falco -V` prints and exits like it (run as users run it: the launcher, from its snapshot). */
const launcher = shippedLauncher();
const env = launcherEnv();

function falconer(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(launcher, ['validate', ...args], { encoding: 'utf8', env });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const stable = fileURLToPath(new URL('falco-rules/falco_rules.yaml', SHARED));

test('a valid file prints "<file>: Ok" and exits 0', () => {
  const r = falconer(stable);
  assert.equal(r.stdout, `${stable}: Ok\n`);
  assert.equal(r.status, 0);
});

test('files load in order as one bundle; --json prints the falco_load_results document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-validate-'));
  const custom = join(dir, 'custom.yaml');
  writeFileSync(custom, rule('Netcat', { condition: 'spawned_process and container and proc.name = nc' }));
  const r = falconer('--json', stable, custom);
  assert.equal(r.status, 0);
  const doc = JSON.parse(r.stdout) as { falco_load_results: Array<{ name: string; successful: boolean }> };
  assert.deepEqual(doc.falco_load_results.map((f) => [f.name, f.successful]), [[stable, true], [custom, true]]);
});

test('an invalid file prints the report and exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-validate-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, rule('r', { condition: 'evt.type = open and undefined_macro' }));
  const r = falconer(bad);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /: Invalid\n1 Errors:/);
  assert.match(r.stdout, /LOAD_ERR_VALIDATE \(Error validating rule\/macro\/list\/exception objects\): Undefined macro 'undefined_macro' used in filter\./);
});

test('a missing file is reported like Falco, on stderr, with exit 1', () => {
  const r = falconer('/no/such/rules.yaml');
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'Error: Could not open file /no/such/rules.yaml for reading\n');
});

test('validate says which Falco release it modelled: on stderr beside the text report, in a falconer member of the JSON', () => {
  const text = falconer('--falco-version', '0.42.1', stable);
  assert.equal(text.stdout, `${stable}: Ok\n`);
  assert.match(text.stderr, /Checked as Falco 0\.42\.1 loads rules \(modelled release\)/);
  const json = falconer('--json', stable);
  const doc = JSON.parse(json.stdout) as { falconer: { falco_version: string; modelled_falco_version: string | null } };
  assert.deepEqual(doc.falconer, { falco_version: '0.44.1', modelled_falco_version: '0.44.1' });
  const unknown = falconer('--json', '--falco-version', '0.43.0', stable);
  const other = JSON.parse(unknown.stdout) as { falconer: { falco_version: string; modelled_falco_version: string | null } };
  assert.deepEqual(other.falconer, { falco_version: '0.43.0', modelled_falco_version: null });
  assert.match(unknown.stderr, /Warning: Falco 0\.43\.0 is not modelled/);
});
