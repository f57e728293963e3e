import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCondition } from '../../src/api/conditions.ts';
import { buildBundle } from '../../src/operator/builders/bundle.ts';
import { contentHash } from '../../src/operator/builders/hash.ts';
import { computeMonitorStatus } from '../../src/operator/monitor/status.ts';
import { computeRuleSetStatus } from '../../src/operator/ruleset/status.ts';
import { rulesEngine } from '../../src/operator/verification/rules-engine.ts';
import { NOW, makeMonitor, makeRuleSet } from './support/fixtures.ts';

const IMAGE = 'falcosecurity/falco:0.44.1';

function ruleSetStatus(spec: Record<string, unknown> = {}, images: string[] = [IMAGE], verifications: Parameters<typeof computeRuleSetStatus>[0]['verifications'] = [], staticOnly = false) {
  const ruleSet = makeRuleSet('r', spec);
  const text = ruleSet.spec.rules ?? '';
  return computeRuleSetStatus({
    ruleSet,
    resolved: { ok: true, content: text, contentHash: contentHash(text) },
    staticResult: rulesEngine.checkStatic('r.yaml', text),
    images,
    verifications,
    falcoErrors: [],
    staticOnly,
    now: NOW,
  });
}

test('in static verification mode a valid rule set is Ready on the static check and says Falco was not asked', () => {
  const status = ruleSetStatus({}, [IMAGE], [], true);
  assert.equal(findCondition(status.conditions, 'Verified')?.status, 'Unknown');
  assert.equal(findCondition(status.conditions, 'Verified')?.reason, 'VerificationSkipped');
  assert.equal(findCondition(status.conditions, 'Ready')?.status, 'True');
  assert.equal(findCondition(status.conditions, 'Ready')?.reason, 'StaticCheckOnly');
  const invalid = ruleSetStatus({ rules: '- rule: Bad\n  desc: d\n  condition: proc.nope = 1\n  output: o\n  priority: WARNING\n' }, [IMAGE], [], true);
  assert.equal(findCondition(invalid.conditions, 'Ready')?.status, 'False');
});

test('a valid rule set no Falco has verified yet is Valid, pending verification and not Ready', () => {
  const status = ruleSetStatus();
  assert.equal(findCondition(status.conditions, 'Valid')?.status, 'True');
  assert.equal(findCondition(status.conditions, 'Verified')?.reason, 'VerificationPending');
  assert.equal(findCondition(status.conditions, 'Ready')?.reason, 'NotVerified');
  assert.deepEqual(status.counts, { rules: 1, macros: 0, lists: 0 });
  assert.equal(status.observedGeneration, 1);
  assert.equal(status.modelledFalcoVersion, '0.44.1', 'the Valid condition models the default image\'s Falco');
});

test('a static error is reported with its Falco code and position', () => {
  const status = ruleSetStatus({ rules: '- rule: Bad\n  desc: d\n  condition: evt.type = open and proc.nonexistent_field = foo\n  output: o\n  priority: WARNING\n' });
  const valid = findCondition(status.conditions, 'Valid');
  assert.equal(valid?.status, 'False');
  assert.equal(valid?.reason, 'StaticCheckFailed');
  assert.equal(status.errors?.[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(status.errors?.[0]?.reportedBy, 'StaticCheck');
  assert.equal(findCondition(status.conditions, 'Ready')?.reason, 'NotValid');
});

test('Verified needs every image of the selecting monitors; one rejection makes it False', () => {
  const hash = contentHash(makeRuleSet('r').spec.rules ?? '');
  const ok = { image: IMAGE, contentHash: hash, verified: true, reason: 'VerificationPassed', message: 'ok', checkedAt: '2026-11-28T10:00:00Z' };
  assert.equal(findCondition(ruleSetStatus({}, [IMAGE], [ok]).conditions, 'Ready')?.status, 'True');
  assert.equal(findCondition(ruleSetStatus({}, [IMAGE, 'x:1'], [ok]).conditions, 'Verified')?.status, 'Unknown');
  const no = { ...ok, image: 'x:1', verified: false, reason: 'VerificationFailed', message: 'bad' };
  assert.equal(findCondition(ruleSetStatus({}, [IMAGE, 'x:1'], [ok, no]).conditions, 'Verified')?.status, 'False');
  assert.equal(findCondition(ruleSetStatus({}, []).conditions, 'Verified')?.reason, 'NotSelected');
});

const bundle = buildBundle([{ name: 'a', content: 'x', contentHash: contentHash('x') }], true);
const plan = { candidate: bundle, rejected: [], pending: [] };

test('a monitor is Ready when every node runs the current template and is ready', () => {
  const status = computeMonitorStatus({
    monitor: makeMonitor('fleet'), image: IMAGE, plan, decision: { target: bundle, targetConfig: 'c', verify: false }, deployed: bundle,
    rollout: { desired: 3, ready: 3, updated: 3, available: 3, complete: true }, crashing: [], falcoVersion: '0.42.1', modelledFalcoVersion: '0.42.1', now: NOW,
  });
  assert.equal(status.modelledFalcoVersion, '0.42.1');
  assert.equal(findCondition(status.conditions, 'Ready')?.reason, 'AllNodesReady');
  assert.equal(findCondition(status.conditions, 'Progressing')?.status, 'False');
  assert.equal(findCondition(status.conditions, 'Degraded')?.status, 'False');
  assert.deepEqual(status.appliedRuleSets, [{ name: 'a', contentHash: contentHash('x') }]);
  assert.equal(status.bundleHash, bundle.hash);
  assert.equal(status.readyNodes, 3);
});

test('a monitor reports rejected rule sets as Degraded and waits for verification as Progressing', () => {
  const status = computeMonitorStatus({
    monitor: makeMonitor('fleet'), image: IMAGE, plan: { ...plan, rejected: [{ name: 'bad', reason: 'NotValid', message: 'm' }] },
    decision: { target: undefined, targetConfig: undefined, verify: true, waiting: 'Verification' }, deployed: undefined, rollout: undefined, crashing: [], falcoVersion: undefined, now: NOW,
  });
  assert.equal(findCondition(status.conditions, 'Ready')?.reason, 'Pending');
  assert.equal(findCondition(status.conditions, 'Progressing')?.reason, 'WaitingForVerification');
  assert.equal(findCondition(status.conditions, 'Degraded')?.reason, 'RuleSetsRejected');
  assert.equal(status.rejectedRuleSetCount, 1);
});

test('crash-looping Falco pods make the monitor Degraded, quoting the last error Falco printed', () => {
  const status = computeMonitorStatus({
    monitor: makeMonitor('fleet'), image: IMAGE, plan, decision: { target: bundle, targetConfig: 'c', verify: false }, deployed: bundle,
    rollout: { desired: 2, ready: 1, updated: 2, available: 1, complete: false },
    crashing: [{ name: 'fleet-falco-a' }, { name: 'fleet-falco-b', lastError: "Error: Cannot load plugin 'k8saudit'" }], falcoVersion: undefined, now: NOW,
  });
  const degraded = findCondition(status.conditions, 'Degraded');
  assert.equal(degraded?.reason, 'PodsCrashing');
  assert.equal(degraded?.message, "Falco pods are crash-looping: fleet-falco-a, fleet-falco-b. Falco's last error in fleet-falco-b: Error: Cannot load plugin 'k8saudit'");
});

test('conditions keep their transition time while their status holds', () => {
  const monitor = makeMonitor('fleet');
  const input = { monitor, image: IMAGE, plan, decision: { target: bundle, targetConfig: 'c', verify: false }, deployed: bundle, rollout: { desired: 3, ready: 3, updated: 3, available: 3, complete: true }, crashing: [], falcoVersion: undefined };
  const first = computeMonitorStatus({ ...input, now: NOW });
  monitor.status = first;
  const second = computeMonitorStatus({ ...input, now: new Date(NOW.getTime() + 60_000) });
  assert.deepEqual(second, first);
});
