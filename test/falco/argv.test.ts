import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULES_DIRS, describeRuleArgv, dryRunArgv, listFieldsArgv, listRulesArgv, validateArgv, versionArgv } from '../../src/falco/argv.ts';
import { RULES_DIR } from '../../src/operator/builders/bundle.ts';
import { recordedCases } from '../support/recorded-falco.ts';

describe('Falco argv builders', () => {
  it('build exactly the command lines recorded from a real Falco', () => {
    const recorded = new Set(recordedCases().map((c) => JSON.stringify(c.argv)));
    const built = [
      versionArgv(),
      listRulesArgv(),
      describeRuleArgv('Terminal shell in container'),
      describeRuleArgv('No such rule'),
      listFieldsArgv(),
      listFieldsArgv('syscall'),
      validateArgv(),
      validateArgv([]),
      dryRunArgv(),
    ];
    for (const argv of built) assert.ok(recorded.has(JSON.stringify(argv)), JSON.stringify(argv));
  });

  it('attaches the --list source with "=" (Falco reads a separate word as a new option)', () => {
    assert.deepEqual(listFieldsArgv('k8s_audit'), ['falco', '--list=k8s_audit']);
  });

  it('accepts real rule names, including ones with "/", "+" and parentheses', () => {
    for (const name of ['Execution from /dev/shm', 'Container Drift Detected (open+create)', 'Redirect STDOUT/STDIN to Network Connection in Container']) {
      assert.equal(describeRuleArgv(name)[2], name);
    }
  });

  it('refuses values that could become options or escape their argument', () => {
    for (const bad of ['-L', '--help', 'a\nb', 'a\rb', 'a\u0000b', 'a;b', '$(id)', '`id`', 'a|b', 'a&b', '../x', ' ', 'x'.repeat(257)]) {
      assert.throws(() => describeRuleArgv(bad), /rule name/, JSON.stringify(bad));
    }
    for (const bad of ['-N', 'Syscall', 'sys call', 'a=b', '../x', '']) {
      assert.throws(() => listFieldsArgv(bad), /source/, JSON.stringify(bad));
    }
    for (const bad of ['/etc/passwd', '/etc/falco/../shadow', '/etc/falco/x.txt', 'falco_rules.yaml', '-V', '/etc/falconer/x.yaml', '/etc/falco/-x.yaml/../a.yaml']) {
      assert.throws(() => validateArgv([bad]), /must be a .yaml file under \/etc\/falco\//, bad);
    }
  });

  it('accepts the stock rules and the operator\'s bundle files as -V bases', () => {
    assert.deepEqual(validateArgv(['/etc/falco/falco_rules.yaml', `${RULES_DIR}/000-custom.yaml`]).slice(1, 5), ['-V', '/etc/falco/falco_rules.yaml', '-V', '/etc/falconer/rules/000-custom.yaml']);
    assert.ok(RULES_DIRS.includes(`${RULES_DIR}/` as (typeof RULES_DIRS)[number]));
  });

  it('returns frozen argv arrays', () => {
    assert.ok(Object.isFrozen(versionArgv()));
  });
});
