/**
 * Safety: rules that fail either check never reach a node. kwok plays the kubelet; verification
 * pods end as each test sets with setVerificationOutcome and print a recorded real Falco 0.42.1
 * output (../shared/falco-outputs) — real Falco cannot run here.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { rulesText } from './support/fixtures.ts';
import { applyMonitor, applyRuleSet, conditionOf, daemonSet, monitorStatus, recordedPodLog, ruleSetStatus, setupOperatorTest, waitForReady } from './support/harness.ts';
import type { OperatorTest } from './support/harness.ts';
import { eventually } from '../support/eventually.ts';

const tests: OperatorTest[] = [];
after(async () => Promise.all(tests.map((t) => t.stopAll())));

const BAD_FIELD = 'evt.type = open and proc.nonexistent_field = foo';

test('rule sets failing the static check or Falco are reported and never reach the DaemonSet; fixing them recovers', async () => {
  const t = await setupOperatorTest('op-safety');
  tests.push(t);
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  await applyRuleSet(t, 'base', rulesText('Base rule'), { labels: { fleet: 'main' }, loadOrder: 100 });
  await t.start();
  await applyMonitor(t, 'main', { ruleSets: { selector: { matchLabels: { fleet: 'main' } } } });
  const good = await waitForReady(t, 'main', ['base']);
  const template = (await daemonSet(t, 'main'))?.metadata?.generation;

  // 1. The static check rejects a condition on a field Falco does not have.
  await applyRuleSet(t, 'typo', rulesText('Typo rule', BAD_FIELD), { labels: { fleet: 'main' } });
  await eventually('typo reported as not valid', async () => conditionOf(await ruleSetStatus(t, 'typo'), 'Valid') === 'False/StaticCheckFailed');
  assert.equal((await ruleSetStatus(t, 'typo'))?.errors?.[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');

  // 2. From here "Falco" rejects what it verifies: the recorded output of `falco -V` on a rule
  //    with an unknown field (the static check is told nothing about it: it passes).
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'fail', logFile: recordedPodLog('validate_stdin_bad_field_json') });
  await applyRuleSet(t, 'sneaky', rulesText('Sneaky rule'), { labels: { fleet: 'main' } });
  await eventually('sneaky rejected by Falco', async () => conditionOf(await ruleSetStatus(t, 'sneaky'), 'Verified') === 'False/VerificationFailed', 90_000, 250);
  const sneaky = await ruleSetStatus(t, 'sneaky');
  assert.equal(sneaky?.errors?.[0]?.reportedBy, 'Falco');
  assert.equal(sneaky?.errors?.[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');

  await eventually('monitor degraded with both rejections', async () => {
    const s = await monitorStatus(t, 'main');
    return conditionOf(s, 'Degraded') === 'True/RuleSetsRejected' && (s?.rejectedRuleSets ?? []).map((r) => r.name).sort().join() === 'sneaky,typo';
  }, 60_000, 250);
  const degraded = await monitorStatus(t, 'main');
  assert.equal(degraded?.bundleHash, good.bundleHash, 'the last good bundle stays');
  assert.deepEqual(degraded?.appliedRuleSets?.map((r) => r.name), ['base']);
  assert.equal(conditionOf(degraded, 'Ready'), 'True/AllNodesReady', 'detection keeps running');
  assert.equal((await daemonSet(t, 'main'))?.metadata?.generation, template, 'the DaemonSet was not touched');

  // 3. Fixing both recovers: "Falco" accepts again, and the edits are new content to verify.
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  await applyRuleSet(t, 'typo', rulesText('Typo rule'), { labels: { fleet: 'main' } });
  await applyRuleSet(t, 'sneaky', rulesText('Sneaky rule, fixed'), { labels: { fleet: 'main' } });
  const fixed = await waitForReady(t, 'main', ['base', 'sneaky', 'typo']);
  assert.equal(conditionOf(fixed, 'Degraded'), 'False/AsExpected');
  assert.notEqual(fixed.bundleHash, good.bundleHash);
});

test('a verification that fails without a report keeps the running bundle', async () => {
  const t = await setupOperatorTest('op-noreport');
  tests.push(t);
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  await applyRuleSet(t, 'base', rulesText('Base rule'));
  await t.start();
  await applyMonitor(t, 'main', { ruleSets: { names: ['base', 'later'] } });
  const good = await waitForReady(t, 'main', ['base']);
  // "Falco" exits 1 and prints nothing: no file to blame, so the new rule set takes the blame.
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'fail', logFile: '/dev/null' });
  await applyRuleSet(t, 'later', rulesText('Later rule'));
  await eventually('later rejected', async () => conditionOf(await ruleSetStatus(t, 'later'), 'Verified') === 'False/VerificationError', 90_000, 250);
  await sleep(500);
  const s = await monitorStatus(t, 'main');
  assert.equal(s?.bundleHash, good.bundleHash);
  assert.equal(conditionOf(s, 'Ready'), 'True/AllNodesReady');
});

test('a hung verification changes nothing on the nodes and ends at its deadline', async () => {
  const t = await setupOperatorTest('op-hung');
  tests.push(t);
  // No outcome set for this namespace: the verification pod stays Running, like a hung Falco.
  await applyRuleSet(t, 'base', rulesText('Base rule'));
  await t.start({ settings: { verificationDeadlineSeconds: 5, verificationTtlSeconds: 600, configMapPollMs: 5_000 } });
  await applyMonitor(t, 'main', { ruleSets: { names: ['base'] } });
  await eventually('waiting for verification', async () => conditionOf(await monitorStatus(t, 'main'), 'Progressing') === 'True/WaitingForVerification');
  assert.equal(await daemonSet(t, 'main'), undefined, 'no Falco runs unverified rules');
  await eventually('the deadline fails the verification', async () => conditionOf(await ruleSetStatus(t, 'base'), 'Verified') === 'False/VerificationError', 90_000, 250);
  assert.equal(await daemonSet(t, 'main'), undefined);
  assert.equal(conditionOf(await monitorStatus(t, 'main'), 'Ready'), 'False/Pending');
});

test('a monitor change whose falco.yaml Falco refuses is verified first and never rolled out; the nodes keep the last good configuration', async () => {
  const t = await setupOperatorTest('op-config');
  tests.push(t);
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  await applyRuleSet(t, 'base', rulesText('Base rule'));
  await t.start();
  await applyMonitor(t, 'main', { ruleSets: { names: ['base'] } });
  const good = await waitForReady(t, 'main', ['base']);
  const before = await daemonSet(t, 'main');
  const goodConfig = before?.spec?.template.metadata?.annotations?.['falconer.dev/config-hash'];
  assert.ok(goodConfig !== undefined);

  // From here "Falco" refuses what it is asked to verify, as a real Falco refuses a plugin option
  // it cannot load (no rule set changes: the fault can only be the configuration).
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'fail', logFile: '/dev/null' });
  await applyMonitor(t, 'main', { ruleSets: { names: ['base'] }, extraConfig: { plugins_hostinfo: false } });
  await eventually('configuration reported as refused', async () => conditionOf(await monitorStatus(t, 'main'), 'Degraded') === 'True/ConfigRejected', 90_000, 250);
  const refused = await monitorStatus(t, 'main');
  assert.match(findMessage(refused, 'Degraded'), /Falco refused the configuration rendered from this monitor's spec in verification Job main-verify-/);
  assert.equal(refused?.bundleHash, good.bundleHash);
  const after = await daemonSet(t, 'main');
  assert.equal(after?.spec?.template.metadata?.annotations?.['falconer.dev/config-hash'], goodConfig, 'the pods keep the last good falco.yaml');
  assert.ok(after?.spec?.template.spec?.volumes?.some((v) => v.configMap?.name === `main-config-${goodConfig.replace('sha256:', '').slice(0, 10)}`));

  // A configuration Falco accepts rolls out, and the refused one is cleaned up.
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  await applyMonitor(t, 'main', { ruleSets: { names: ['base'] }, extraConfig: { plugins_hostinfo: true } });
  await eventually('new configuration rolled out', async () => {
    const ds = await daemonSet(t, 'main');
    const s = await monitorStatus(t, 'main');
    return ds?.spec?.template.metadata?.annotations?.['falconer.dev/config-hash'] !== goodConfig && conditionOf(s, 'Degraded') === 'False/AsExpected';
  }, 90_000, 250);
});

function findMessage(status: { conditions?: ReadonlyArray<{ type: string; message?: string }> | undefined } | undefined, type: string): string {
  return status?.conditions?.find((c) => c.type === type)?.message ?? '';
}
