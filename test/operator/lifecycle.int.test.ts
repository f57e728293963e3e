/**
 * Monitor lifecycle on the real local control plane. kwok plays the kubelet; verification pods
 * succeed and print a recorded real Falco 0.42.1 `-V` output (../shared/falco-outputs).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, MONITOR_PLURAL } from '../../src/api/names.ts';
import { rulesText } from './support/fixtures.ts';
import { applyMonitor, applyRuleSet, assertReconcileQuiet, conditionOf, configMapNames, daemonSet, monitorStatus, recordedPodLog, setupOperatorTest, waitForReady } from './support/harness.ts';
import type { OperatorTest } from './support/harness.ts';
import { eventually } from '../support/eventually.ts';
import { shippedCli } from '../support/shipped-cli.ts';

const tests: OperatorTest[] = [];
after(async () => Promise.all(tests.map((t) => t.stopAll())));

async function ready(prefix: string): Promise<OperatorTest> {
  const t = await setupOperatorTest(prefix);
  tests.push(t);
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  return t;
}

test('changing the selector changes the bundle', async () => {
  const t = await ready('op-select');
  await applyRuleSet(t, 'a', rulesText('Rule A'), { labels: { team: 'a' } });
  await applyRuleSet(t, 'b', rulesText('Rule B'), { labels: { team: 'b' } });
  await t.start();
  await applyMonitor(t, 'main', { ruleSets: { selector: { matchLabels: { team: 'a' } } } });
  await waitForReady(t, 'main', ['a']);
  await applyMonitor(t, 'main', { ruleSets: { selector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }] } } });
  await waitForReady(t, 'main', ['a', 'b']);
  await applyMonitor(t, 'main', { ruleSets: { names: ['b'] } });
  await waitForReady(t, 'main', ['b']);
});

test('suspend removes the DaemonSet and keeps everything else; resume brings Falco back', async () => {
  const t = await ready('op-suspend');
  await applyRuleSet(t, 'a', rulesText('Rule A'));
  await t.start();
  await applyMonitor(t, 'main', { ruleSets: { names: ['a'] } });
  const before = await waitForReady(t, 'main', ['a']);
  const children = await configMapNames(t);
  await applyMonitor(t, 'main', { ruleSets: { names: ['a'] }, suspend: true });
  await eventually('DaemonSet removed', async () => (await daemonSet(t, 'main')) === undefined);
  await eventually('reported as suspended', async () => conditionOf(await monitorStatus(t, 'main'), 'Ready') === 'False/Suspended');
  assert.deepEqual((await configMapNames(t)).filter((n) => !n.includes('-verify-')), children.filter((n) => !n.includes('-verify-')));
  assert.equal((await monitorStatus(t, 'main'))?.bundleHash, before.bundleHash);
  await applyMonitor(t, 'main', { ruleSets: { names: ['a'] }, suspend: false });
  const after = await waitForReady(t, 'main', ['a']);
  assert.equal(after.bundleHash, before.bundleHash);
});

test('deleting a monitor garbage-collects everything it created', async () => {
  const t = await ready('op-delete');
  await applyRuleSet(t, 'a', rulesText('Rule A'));
  await t.start();
  await applyMonitor(t, 'main', { ruleSets: { names: ['a'] } });
  await waitForReady(t, 'main', ['a']);
  await t.kc.makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: t.namespace, plural: MONITOR_PLURAL, name: 'main' });
  // The garbage collector discovers new CRDs lazily (up to ~30 s): poll generously.
  await eventually('children collected', async () => {
    const core = t.kc.makeApiClient(CoreV1Api);
    const selector = { namespace: t.namespace, labelSelector: 'falconer.dev/monitor=main' };
    const [cms, sas, jobs, ds] = await Promise.all([
      core.listNamespacedConfigMap(selector),
      core.listNamespacedServiceAccount(selector),
      t.kc.makeApiClient(BatchV1Api).listNamespacedJob(selector),
      daemonSet(t, 'main'),
    ]);
    return cms.items.length === 0 && sas.items.length === 0 && jobs.items.length === 0 && ds === undefined;
  }, 180_000, 1000);
});

test('an operator killed mid-reconcile and restarted converges to the same state', async () => {
  const t = await ready('op-kill');
  await applyRuleSet(t, 'a', rulesText('Rule A'));
  await applyRuleSet(t, 'b', rulesText('Rule B'));
  // The operator as users run it (`falconer operator`), in its own process, so it can be SIGKILLed.
  const child = spawn(process.execPath, [shippedCli(), 'operator', '--kubeconfig', t.cluster.kubeconfigPath, '--namespace', t.namespace, '--metrics-port', '0', '--health-port', '0', '--falco-metrics', 'off'], { stdio: 'ignore' });
  await applyMonitor(t, 'main', { ruleSets: { names: ['a', 'b'] } });
  try {
    await eventually('a verification Job exists', async () => (await t.kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: t.namespace })).items.length > 0, 60_000, 50);
  } finally {
    // Also on failure: a live child would keep this test process from ever exiting.
    child.kill('SIGKILL');
  }
  await new Promise((r) => child.once('exit', r));
  const op = await t.start();
  const status = await waitForReady(t, 'main', ['a', 'b']);
  const bundles = (await configMapNames(t)).filter((n) => n.startsWith('main-rules-'));
  assert.deepEqual(bundles, [`main-rules-${(status.bundleHash ?? '').slice(7, 17)}`]);
  assert.deepEqual((await assertReconcileQuiet(t, op)).writes, []);
});

test('a second replica takes over when the leader stops', async () => {
  const t = await ready('op-leader');
  await applyRuleSet(t, 'a', rulesText('Rule A'));
  const election = { namespace: t.namespace, leaseDurationMs: 4_000, retryPeriodMs: 300, renewDeadlineMs: 3_000 };
  const first = await t.start({ leaderElection: election, identity: 'replica-1' });
  await eventually('replica-1 leads', () => Promise.resolve(first.isLeader()));
  const second = await t.start({ leaderElection: election, identity: 'replica-2' });
  await applyMonitor(t, 'main', { ruleSets: { names: ['a'] } });
  await waitForReady(t, 'main', ['a']);
  assert.equal(second.isLeader(), false, 'one replica acts');
  assert.equal(second.ready(), true, 'a standby is ready to take over');
  await first.stop();
  await eventually('replica-2 leads', () => Promise.resolve(second.isLeader()), 30_000);
  const before = await monitorStatus(t, 'main');
  await applyRuleSet(t, 'a', rulesText('Rule A, v2'));
  await eventually('the new leader rolled out the edit', async () => {
    const s = await monitorStatus(t, 'main');
    return s?.bundleHash !== before?.bundleHash && conditionOf(s, 'Ready') === 'True/AllNodesReady';
  }, 60_000, 250);
});
