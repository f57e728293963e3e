import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBundle } from '../../src/operator/builders/bundle.ts';
import { contentHash } from '../../src/operator/builders/hash.ts';
import { planBundle } from '../../src/operator/monitor/plan.ts';
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

function contents(...sets: ReturnType<typeof makeRuleSet>[]) {
  return new Map(sets.map((r) => [r.metadata.name, { name: r.metadata.name, content: r.spec.rules ?? '', contentHash: contentHash(r.spec.rules ?? '') }]));
}

test('the candidate holds valid rule sets not rejected by this Falco image', () => {
  const good = makeRuleSet('good');
  good.status = validStatus(good);
  const plan = planBundle({ ruleSets: [good], contents: contents(good), image: IMAGE, includeDefaultRules: true, running: undefined });
  assert.deepEqual(plan.candidate.files.map((f) => f.ruleSet), ['good']);
  assert.deepEqual(plan.rejected, []);
});

test('a rule set that broke keeps its running version in the candidate and is reported', () => {
  const oldText = rulesText('Old rule');
  const running = buildBundle([{ name: 'edited', content: oldText, contentHash: contentHash(oldText) }], true);
  const invalid = makeRuleSet('edited', { rules: '- rule: [' }, { generation: 2 });
  invalid.status = { observedGeneration: 2, conditions: [{ type: 'Valid', status: 'False', reason: 'StaticCheckFailed', message: 'bad yaml', lastTransitionTime: '2026-11-28T09:00:00Z' }] };
  const plan = planBundle({ ruleSets: [invalid], contents: contents(invalid), image: IMAGE, includeDefaultRules: true, running });
  assert.equal(plan.candidate.hash, running.hash, 'nodes keep the last good version');
  assert.deepEqual(plan.rejected, [{ name: 'edited', reason: 'NotValid', message: 'bad yaml' }]);
});

test('a rule set Falco rejected for this image is left out; for another image it is not', () => {
  const r = makeRuleSet('new');
  r.status = validStatus(r, {
    verifications: [{ image: IMAGE, contentHash: contentHash(r.spec.rules ?? ''), verified: false, reason: 'VerificationFailed', message: 'nope', checkedAt: '2026-11-28T09:00:00Z' }],
  });
  const plan = planBundle({ ruleSets: [r], contents: contents(r), image: IMAGE, includeDefaultRules: true, running: undefined });
  assert.equal(plan.candidate.files.length, 0);
  assert.equal(plan.rejected[0]?.reason, 'VerificationFailed');
  const other = planBundle({ ruleSets: [r], contents: contents(r), image: 'falcosecurity/falco:0.43.0', includeDefaultRules: true, running: undefined });
  assert.equal(other.candidate.files.length, 1);
});

test('a rule set whose status lags its generation is pending, disabled ones are simply left out', () => {
  const lagging = makeRuleSet('lagging', {}, { generation: 3 });
  lagging.status = validStatus(lagging, { observedGeneration: 2 });
  const off = makeRuleSet('off', { enabled: false });
  const plan = planBundle({ ruleSets: [lagging, off], contents: contents(lagging, off), image: IMAGE, includeDefaultRules: true, running: undefined });
  assert.deepEqual(plan.pending, ['lagging']);
  assert.deepEqual(plan.rejected.map((r) => r.reason), ['Disabled']);
  assert.equal(plan.candidate.files.length, 0);
});

test('the target is the running bundle until Falco accepted the candidate', () => {
  const a = buildBundle([{ name: 'a', content: 'x', contentHash: contentHash('x') }], true);
  const b = buildBundle([{ name: 'b', content: 'y', contentHash: contentHash('y') }], true);
  assert.deepEqual(decideTarget(a, a, undefined), { target: a, verify: false });
  assert.deepEqual(decideTarget(b, a, undefined), { target: a, verify: true, waiting: 'Verification' });
  assert.deepEqual(decideTarget(b, a, 'Running'), { target: a, verify: true, waiting: 'Verification' });
  assert.deepEqual(decideTarget(b, a, 'Failed'), { target: a, verify: false, waiting: 'Attribution' });
  assert.deepEqual(decideTarget(b, a, 'Succeeded'), { target: b, verify: false });
  assert.deepEqual(decideTarget(b, undefined, undefined), { target: undefined, verify: true, waiting: 'Verification' });
  const empty = buildBundle([], false);
  assert.equal(decideTarget(empty, a, undefined).waiting, 'NoRules');
});

test('with static-only verification the candidate becomes the target without a Job', () => {
  const a = buildBundle([{ name: 'a', content: 'x', contentHash: contentHash('x') }], true);
  const b = buildBundle([{ name: 'b', content: 'y', contentHash: contentHash('y') }], true);
  assert.deepEqual(decideTarget(b, a, undefined, true), { target: b, verify: false });
  assert.deepEqual(decideTarget(b, undefined, undefined, true), { target: b, verify: false });
  assert.equal(decideTarget(buildBundle([], false), a, undefined, true).waiting, 'NoRules');
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
  assert.deepEqual(crashingPods([{ metadata: { name: 'p' }, status: { containerStatuses: [{ name: 'falco', image: '', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }]), ['p']);
});
