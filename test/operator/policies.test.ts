import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBundle } from '../../src/operator/builders/bundle.ts';
import { contentHash } from '../../src/operator/builders/hash.ts';
import { planBundle } from '../../src/operator/monitor/plan.ts';
import type { RuleSetReading } from '../../src/operator/monitor/plan.ts';
import { validity } from '../../src/operator/ruleset/status.ts';
import { rulesEngine } from '../../src/operator/verification/rules-engine.ts';
import { StaticChecks } from '../../src/operator/verification/static-checks.ts';
import { crashingPods, decideTarget, rolloutState } from '../../src/operator/policy/rollout.ts';
import { matchesSelector, selectedRuleSets } from '../../src/operator/policy/selection.ts';
import { verdictFor } from '../../src/operator/policy/verdict.ts';
import { candidateMembers } from '../../src/operator/verification/candidate.ts';
import type { JobOutcome } from '../../src/operator/verification/outcome.ts';
import { makeMonitor, makeRuleSet, rulesText, validStatus } from './support/fixtures.ts';

const IMAGE = 'falcosecurity/falco:0.44.1';

test('label selectors follow metav1 semantics', () => {
  const labels = { team: 'a', tier: 'prod' };
  assert.equal(matchesSelector(labels, {}), true);
  assert.equal(matchesSelector(labels, { matchLabels: { team: 'a' } }), true);
  assert.equal(matchesSelector(labels, { matchLabels: { team: 'b' } }), false);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'tier', operator: 'In', values: ['prod'] }] }), true);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['prod'] }] }), false);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'gone', operator: 'DoesNotExist' }] }), true);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'team', operator: 'Exists' }] }), true);
});

test('a monitor selects by name or label and orders by loadOrder, then name', () => {
  const monitor = makeMonitor('fleet', { ruleSets: { names: ['zeta'], selector: { matchLabels: { pick: 'yes' } } } });
  const sets = [
    makeRuleSet('zeta', { loadOrder: 100 }),
    makeRuleSet('beta', {}, { labels: { pick: 'yes' } }),
    makeRuleSet('alpha', {}, { labels: { pick: 'yes' } }),
    makeRuleSet('other'),
  ];
  assert.deepEqual(selectedRuleSets(monitor, sets).map((r) => r.metadata.name), ['zeta', 'alpha', 'beta']);
});

/** What the monitor reads of each rule set: its text, checked by the real static check. */
function readings(...sets: ReturnType<typeof makeRuleSet>[]): Map<string, RuleSetReading> {
  const checks = new StaticChecks(rulesEngine);
  return new Map(
    sets.map((r) => {
      const text = r.spec.rules ?? '';
      const resolved = { ok: true as const, content: text, contentHash: contentHash(text) };
      const valid = validity(resolved, checks.check(r.metadata.name, text, resolved.contentHash));
      const reading: RuleSetReading = {
        content: { name: r.metadata.name, content: text, contentHash: resolved.contentHash },
        valid: valid.status === 'True' ? { ok: true } : { ok: false, message: valid.message },
      };
      return [r.metadata.name, reading];
    }),
  );
}

test('the candidate holds valid rule sets not rejected by this Falco image', () => {
  const good = makeRuleSet('good');
  const plan = planBundle({ ruleSets: [good], readings: readings(good), image: IMAGE, includeDefaultRules: true, running: undefined });
  assert.deepEqual(plan.candidate.files.map((f) => f.ruleSet), ['good']);
  assert.deepEqual(plan.rejected, []);
});

test('a new edit goes into the candidate on the static check alone, before the rule set status catches up', () => {
  const edited = makeRuleSet('edited', { rules: rulesText('Edited rule') }, { generation: 3 });
  edited.status = validStatus(edited, { observedGeneration: 2, contentHash: contentHash(rulesText('Old rule')) });
  const plan = planBundle({ ruleSets: [edited], readings: readings(edited), image: IMAGE, includeDefaultRules: true, running: undefined });
  assert.deepEqual(plan.candidate.files.map((f) => f.content), [rulesText('Edited rule')]);
});

test('a rule set that broke keeps its running version in the candidate and is reported with the static check\'s words', () => {
  const oldText = rulesText('Old rule');
  const running = buildBundle([{ name: 'edited', content: oldText, contentHash: contentHash(oldText) }], true);
  const invalid = makeRuleSet('edited', { rules: '- rule: [' }, { generation: 2 });
  // The status still says Valid (it describes the old text): the monitor does not trust it.
  invalid.status = validStatus(invalid, { observedGeneration: 1, contentHash: contentHash(oldText) });
  const plan = planBundle({ ruleSets: [invalid], readings: readings(invalid), image: IMAGE, includeDefaultRules: true, running });
  assert.equal(plan.candidate.hash, running.hash, 'nodes keep the last good version');
  assert.equal(plan.rejected.length, 1);
  assert.equal(plan.rejected[0]?.name, 'edited');
  assert.equal(plan.rejected[0]?.reason, 'NotValid');
  assert.match(plan.rejected[0]?.message ?? '', /^The static check rejected the rules: LOAD_ERR_YAML_PARSE: .*\(line 1\)\.$/);
});

test('a rule set Falco rejected for this image is left out; for another image it is not', () => {
  const r = makeRuleSet('new');
  r.status = validStatus(r, {
    verifications: [{ image: IMAGE, contentHash: contentHash(r.spec.rules ?? ''), verified: false, reason: 'VerificationFailed', message: 'nope', checkedAt: '2026-11-28T09:00:00Z' }],
  });
  const plan = planBundle({ ruleSets: [r], readings: readings(r), image: IMAGE, includeDefaultRules: true, running: undefined });
  assert.equal(plan.candidate.files.length, 0);
  assert.equal(plan.rejected[0]?.reason, 'VerificationFailed');
  const other = planBundle({ ruleSets: [r], readings: readings(r), image: 'falcosecurity/falco:0.43.0', includeDefaultRules: true, running: undefined });
  assert.equal(other.candidate.files.length, 1);
});

test('a rule set whose text could not be read keeps its running version; disabled ones are simply left out', () => {
  const text = rulesText('Kept rule');
  const running = buildBundle([{ name: 'gone', content: text, contentHash: contentHash(text) }], true);
  const gone = makeRuleSet('gone', { rules: undefined, configMapRef: { name: 'user-rules', key: 'rules.yaml' } });
  const off = makeRuleSet('off', { enabled: false });
  const unread = new Map<string, RuleSetReading>([['gone', { content: undefined, valid: { ok: false, message: 'ConfigMap ns/user-rules does not exist.' } }]]);
  const plan = planBundle({ ruleSets: [gone, off], readings: unread, image: IMAGE, includeDefaultRules: true, running });
  assert.deepEqual(plan.rejected, [
    { name: 'gone', reason: 'NotValid', message: 'ConfigMap ns/user-rules does not exist.' },
    { name: 'off', reason: 'Disabled', message: 'The rule set is disabled (spec.enabled is false).' },
  ]);
  assert.deepEqual(plan.candidate.files.map((f) => f.content), [text]);
});

test('with static-only verification the candidate becomes the target without a Job', () => {
  const a = buildBundle([{ name: 'a', content: 'x', contentHash: contentHash('x') }], true);
  const b = buildBundle([{ name: 'b', content: 'y', contentHash: contentHash('y') }], true);
  assert.deepEqual(decideTarget({ bundle: b, configHash: 'c1' }, { bundle: a, configHash: 'c1' }, undefined, true), { target: b, targetConfig: 'c1', verify: false });
  assert.deepEqual(decideTarget({ bundle: b, configHash: 'c1' }, undefined, undefined, true), { target: b, targetConfig: 'c1', verify: false });
  assert.equal(decideTarget({ bundle: buildBundle([], false), configHash: 'c1' }, { bundle: a, configHash: 'c1' }, undefined, true).waiting, 'NoRules');
});

test('a new falco.yaml is verified like a new bundle; the nodes keep the last good pair until Falco accepts it', () => {
  const a = buildBundle([{ name: 'a', content: 'x', contentHash: contentHash('x') }], true);
  const running = { bundle: a, configHash: 'good' };
  const newConfig = { bundle: a, configHash: 'new' };
  assert.deepEqual(decideTarget(running, running, undefined), { target: a, targetConfig: 'good', verify: false }, 'nothing changed');
  assert.deepEqual(decideTarget(newConfig, running, undefined), { target: a, targetConfig: 'good', verify: true, waiting: 'Verification' });
  assert.deepEqual(decideTarget(newConfig, running, 'Running'), { target: a, targetConfig: 'good', verify: true, waiting: 'Verification' });
  assert.deepEqual(decideTarget(newConfig, running, 'Failed'), { target: a, targetConfig: 'good', verify: false, waiting: 'Attribution' });
  assert.deepEqual(decideTarget(newConfig, running, 'Succeeded'), { target: a, targetConfig: 'new', verify: false });
  assert.deepEqual(decideTarget(newConfig, undefined, undefined), { target: undefined, targetConfig: undefined, verify: true, waiting: 'Verification' }, 'first start');
});

const running = buildBundle([{ name: 'base', content: 'b', contentHash: contentHash('b') }], true);
const candidate = buildBundle([
  { name: 'base', content: 'b', contentHash: contentHash('b') },
  { name: 'added', content: 'a', contentHash: contentHash('a') },
], true);
const members = candidateMembers(candidate, running);
const failedOn = (name: string): JobOutcome => ({
  state: 'Failed',
  message: 'Falco rejected the rules.',
  files: [{ name, successful: false, errors: [{ code: 'LOAD_ERR_COMPILE_CONDITION', message: 'bad field', reportedBy: 'Falco' }] }],
});

test('a failed verification is blamed on the first file Falco names', () => {
  assert.deepEqual(members.map((m) => m.changed), [false, true]);
  const verdict = verdictFor(failedOn('/etc/falconer/verify/001-added.yaml'), members, 'added', contentHash('a'));
  assert.equal(verdict?.verified, false);
  assert.equal(verdict?.reason, 'VerificationFailed');
  assert.match(verdict?.message ?? '', /LOAD_ERR_COMPILE_CONDITION: bad field/);
  assert.equal(verdictFor(failedOn('/etc/falconer/verify/001-added.yaml'), members, 'base', contentHash('b')), undefined);
});

test('a failure Falco cannot attribute is blamed on what is new in the candidate only', () => {
  const timeout: JobOutcome = { state: 'Failed', message: 'Falco rejected the rules or did not finish: DeadlineExceeded.' };
  assert.equal(verdictFor(timeout, members, 'added', contentHash('a'))?.reason, 'VerificationError');
  assert.equal(verdictFor(timeout, members, 'base', contentHash('b')), undefined);
  assert.equal(verdictFor(failedOn('/dev/stdin'), members, 'added', contentHash('a'))?.reason, 'VerificationFailed');
});

test('a Job that also checked a new falco.yaml blames no rule set when it fails, and verifies them when it passes', () => {
  // Even a named file is no proof: the new config may have turned off what the rules need.
  assert.equal(verdictFor(failedOn('/etc/falconer/verify/001-added.yaml'), members, 'added', contentHash('a'), true), undefined);
  assert.equal(verdictFor({ state: 'Failed', message: 'Error: cannot load plugin' }, members, 'added', contentHash('a'), true), undefined);
  assert.equal(verdictFor({ state: 'Succeeded', message: 'ok' }, members, 'added', contentHash('a'), true)?.verified, true);
});

test('an accepted candidate verifies every member, a running Job verifies nothing', () => {
  assert.equal(verdictFor({ state: 'Succeeded', message: 'ok' }, members, 'base', contentHash('b'))?.verified, true);
  assert.equal(verdictFor({ state: 'Running', message: '' }, members, 'added', contentHash('a')), undefined);
  assert.equal(verdictFor({ state: 'Succeeded', message: 'ok' }, members, 'added', contentHash('other')), undefined);
});

test('a rollout is complete when the controller saw the template and every node is updated and ready', () => {
  const ds = (s: Record<string, number>, generation = 2) => ({ metadata: { generation }, status: { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3, observedGeneration: 2, ...s } });
  assert.equal(rolloutState(ds({}))?.complete, true);
  assert.equal(rolloutState(ds({}, 3))?.complete, false);
  assert.equal(rolloutState(ds({ updatedNumberScheduled: 2 }))?.complete, false);
  assert.equal(rolloutState(undefined), undefined);
  assert.deepEqual(crashingPods([{ metadata: { name: 'p' }, status: { containerStatuses: [{ name: 'falco', image: '', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }]), [{ name: 'p' }]);
  const tail = 'Falco version: 0.44.1\nLoaded plugin container\nError: Cannot load plugin \'k8saudit\': cannot open shared object\nEvents detected: 0\n';
  assert.deepEqual(
    crashingPods([{ metadata: { name: 'q' }, status: { containerStatuses: [{ name: 'falco', image: '', imageID: '', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, message: tail } } }] } }]),
    [{ name: 'q', lastError: "Error: Cannot load plugin 'k8saudit': cannot open shared object" }],
  );
});
