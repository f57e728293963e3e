import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldList } from '../../src/falco/fields-text.ts';
import { parseDescribedRules } from '../../src/falco/rules-json.ts';
import { falcoError, loadedPlugins, loadedRulesFiles, loggedFalcoVersion } from '../../src/falco/stderr.ts';
import { parseFalcoVersion } from '../../src/falco/version.ts';
import { caseOutput } from '../support/recorded-falco.ts';

// Every case here is what a real Falco 0.42.1 printed (../shared/falco-outputs).

describe('parseFalcoVersion', () => {
  it('reads the --version JSON', () => {
    const v = parseFalcoVersion(caseOutput('version_json').stdout);
    assert.deepEqual(v, {
      falco: '0.42.1',
      libs: '0.22.2',
      engine: '0.57.0',
      pluginApi: '3.12.0',
      driverApi: '8.0.0',
      driverSchema: '4.0.1',
      defaultDriver: '9.0.0+driver',
    });
  });
  it('refuses the text form with a message that names json_output', () => {
    assert.throws(() => parseFalcoVersion(caseOutput('version').stdout), /json_output/);
  });
});

describe('parseDescribedRules', () => {
  it('reads -L: every rule, macro and list', () => {
    const d = parseDescribedRules(caseOutput('list_rules_json').stdout);
    assert.equal(d.rules.length, 25);
    assert.equal(d.macros.length, 87);
    assert.equal(d.lists.length, 49);
    assert.equal(new Set(d.rules.map((r) => r.info.name)).size, 25);
    assert.ok(d.rules.every((r) => r.info.source === 'syscall' && r.info.priority !== ''));
  });
  it('reads -l: one rule with the macros it uses', () => {
    const d = parseDescribedRules(caseOutput('describe_rule_json').stdout);
    assert.equal(d.rules.length, 1);
    const r = d.rules[0];
    assert.equal(r?.info.name, 'Terminal shell in container');
    assert.deepEqual([...(r?.details.macros ?? [])].sort(), ['container', 'container_entrypoint', 'shell_procs', 'spawned_process', 'user_expected_terminal_shell_in_container_conditions']);
    assert.ok(r?.details.condition_compiled?.includes('evt.type in (execve, execveat)'));
  });
  it('refuses the text table (-L without json_output)', () => {
    assert.throws(() => parseDescribedRules(caseOutput('list_rules').stdout), /not JSON/);
  });
});

describe('parseFieldList', () => {
  const classes = parseFieldList(caseOutput('list_fields_syscall').stdout);
  it('finds every field class with its sources and qualifier', () => {
    assert.deepEqual(classes.map((c) => c.name), ['evt', 'evt', 'process', 'user', 'group', 'fd', 'fs.path', 'fdlist', 'container']);
    assert.equal(classes[0]?.qualifier, 'All event types');
    assert.equal(classes.at(-1)?.qualifier, 'plugin');
    assert.ok(classes.every((c) => c.sources.includes('syscall')));
  });
  it('keeps every field line, including names too long for the 30-column gutter', () => {
    const listed = caseOutput('list_fields_syscall').stdout.split('\n').filter((l) => /^[a-z]/.test(l)).map((l) => l.split(/\s/)[0]);
    const parsed = classes.flatMap((c) => c.fields.map((f) => f.name));
    assert.deepEqual(parsed.sort(), listed.sort());
    const long = classes.flatMap((c) => c.fields).find((f) => f.name === 'proc.is_container_liveness_probe');
    assert.match(long?.description ?? '', /liveness probe/);
  });
  it('splits leading flags off descriptions and joins wrapped lines', () => {
    const aexe = classes.flatMap((c) => c.fields).find((f) => f.name === 'proc.aexe');
    assert.deepEqual(aexe?.flags, ['ARG_ALLOWED', 'EPF_NO_RHS', 'EPF_NO_TRANSFORMER']);
    assert.ok(aexe?.description.startsWith('The proc.exe (first command line argument argv[0]) for a specific process ancestor.'));
    assert.ok(!aexe?.description.includes('  '));
  });
  it('reads --list without a source the same way', () => {
    assert.equal(parseFieldList(caseOutput('list_fields').stdout).length, classes.length);
  });
});

describe('stderr helpers', () => {
  it('reads the dry-run log: version, plugins, rules files', () => {
    const { stderr } = caseOutput('dry_run');
    assert.equal(loggedFalcoVersion(stderr), '0.42.1');
    assert.deepEqual(loadedPlugins(stderr), [{ name: 'container', version: '0.4.1' }]);
    assert.deepEqual(loadedRulesFiles(stderr), [
      { path: '/etc/falco/falco_rules.yaml', schemaValidation: 'ok' },
      { path: '/etc/falco/falco_rules.local.yaml', schemaValidation: 'none' },
    ]);
    assert.equal(falcoError(stderr), undefined);
  });
  it('extracts Falco\'s error from every failing recorded case', () => {
    assert.equal(falcoError(caseOutput('describe_rule_unknown_json').stderr), 'Rule "No such rule" is not loaded.');
    assert.equal(falcoError(caseOutput('list_fields_bad_source').stderr), 'Value for --list must be a valid source type');
    assert.equal(falcoError(caseOutput('dry_run_with_candidate_bad').stderr), 'Could not open file /etc/falco/no_such_file.yaml for reading');
    assert.match(falcoError(caseOutput('bad_option').stderr) ?? '', /no-such-option/);
    assert.match(falcoError(caseOutput('validate_with_loaded_bad').stderr) ?? '', /Undefined macro 'netcat_started'/);
  });
});
