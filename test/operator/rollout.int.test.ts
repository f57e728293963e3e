/**
 * The operator against the real local control plane. kwok plays the kubelet: Falco pods become
 * Ready, and verification pods end the way each test sets with setVerificationOutcome, printing
 * a recorded real Falco 0.42.1 output (../shared/falco-outputs) — real Falco cannot run here.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { rulesText } from './support/fixtures.ts';
import { applyMonitor, applyRuleSet, assertReconcileQuiet, configMapNames, daemonSet, monitorStatus, recordedPodLog, ruleSetStatus, setupOperatorTest, waitForReady } from './support/harness.ts';
import type { OperatorTest } from './support/harness.ts';
import { eventually } from '../support/eventually.ts';

const GOOD_LOG = recordedPodLog('validate_stdin_good_small_json');
const tests: OperatorTest[] = [];
after(async () => Promise.all(tests.map((t) => t.stopAll())));

test('a monitor with two rule sets reaches Ready on 3 nodes with the right bundle, then reconciles without writing', async () => {
  const t = await setupOperatorTest('op-ready');
  tests.push(t);
  // "Falco" accepts whatever it verifies here: the recorded output of a successful -V run.
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: GOOD_LOG });
  await applyRuleSet(t, 'base', rulesText('Base rule'), { labels: { fleet: 'main' }, loadOrder: 100 });
  await applyRuleSet(t, 'team', rulesText('Team rule'), { labels: { fleet: 'main' } });
  const op = await t.start();
  const started = Date.now();
  await applyMonitor(t, 'main', { ruleSets: { selector: { matchLabels: { fleet: 'main' } } } });
  const status = await waitForReady(t, 'main', ['base', 'team']);
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(`# monitor applied → Ready on ${status.readyNodes} nodes in ${seconds.toFixed(1)} s\n`);

  assert.equal(status.desiredNodes, t.cluster.nodeNames.length);
  assert.equal(status.readyNodes, t.cluster.nodeNames.length);
  const ds = await daemonSet(t, 'main');
  const template = ds?.spec?.template;
  assert.equal(template?.metadata?.annotations?.['falconer.dev/bundle-hash'], status.bundleHash);
  assert.equal(template?.metadata?.labels?.['argocd.argoproj.io/instance'], undefined, 'CR labels are never copied');
  const bundleName = template?.spec?.volumes?.find((v) => v.name === 'falconer-rules')?.configMap?.name ?? '';
  const bundle = await t.kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: bundleName, namespace: t.namespace });
  assert.deepEqual(Object.keys(bundle.data ?? {}), ['000-base.yaml', '001-team.yaml']);
  assert.equal(bundle.immutable, true);
  const base = await ruleSetStatus(t, 'base');
  assert.equal(base?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  assert.equal(base?.verifications?.[0]?.falcoVersion, '0.42.1');
  assert.equal(status.falcoVersion, '0.42.1');

  const quiet = await assertReconcileQuiet(t, op);
  assert.deepEqual(quiet.writes, [], 'a reconcile with nothing to change writes nothing');
});

test('editing a rule set rolls out a new bundle and the old one is garbage-collected', async () => {
  const t = await setupOperatorTest('op-edit');
  tests.push(t);
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: GOOD_LOG });
  await applyRuleSet(t, 'team', rulesText('Team rule'));
  await t.start();
  await applyMonitor(t, 'main', { ruleSets: { names: ['team'] } });
  const first = await waitForReady(t, 'main', ['team']);
  await applyRuleSet(t, 'team', rulesText('Team rule v2'));
  await eventually('a new bundle on every node', async () => {
    const s = await monitorStatus(t, 'main');
    return s?.bundleHash !== first.bundleHash && s?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  }, 120_000, 250);
  const current = await monitorStatus(t, 'main');
  await eventually('only the current bundle left', async () => {
    const names = (await configMapNames(t)).filter((n) => n.startsWith('main-rules-'));
    return names.length === 1 && names[0] === `main-rules-${(current?.bundleHash ?? '').slice(7, 17)}`;
  }, 60_000, 250);
});
