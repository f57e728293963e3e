/**
 * What each node's Falco loaded, against the real local control plane. kwok plays the kubelet and
 * runs no Falco, so a test-only responder (test/support/falco-metrics-responder.ts) answers for
 * each Falco pod as a Falco that loaded what the pod mounts would, in the text a real Falco
 * serves. Everything from the reading on is the operator's own code: parsing, comparing with the
 * bundle and falco.yaml it rendered, status, conditions, Events, metrics, rule set liveNodes.
 */
import { after, test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import type { MonitorStatus } from '../../src/api/monitor.ts';
import type { OperatorSettings } from '../../src/operator/deps.ts';
import type { RunningOperator } from '../../src/operator/start-operator.ts';
import { falcoMetricsResponder } from '../support/falco-metrics-responder.ts';
import type { FalcoMetricsResponder } from '../support/falco-metrics-responder.ts';
import { eventually } from '../support/eventually.ts';
import { rulesText } from './support/fixtures.ts';
import { applyMonitor, applyRuleSet, conditionOf, monitorStatus, recordedPodLog, ruleSetStatus, setupOperatorTest, waitForReady } from './support/harness.ts';
import type { OperatorTest } from './support/harness.ts';

const GOOD_LOG = recordedPodLog('validate_stdin_good_small_json');
const tests: OperatorTest[] = [];
after(async () => Promise.all(tests.map((t) => t.stopAll())));

interface Setup {
  t: OperatorTest;
  op: RunningOperator;
  responder: FalcoMetricsResponder;
  nodes: number;
}

async function start(prefix: string, settings: Partial<OperatorSettings> = {}): Promise<Setup> {
  const t = await setupOperatorTest(prefix);
  tests.push(t);
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: GOOD_LOG });
  await applyRuleSet(t, 'team', rulesText('Team rule'));
  const responder = falcoMetricsResponder(t.kc);
  const op = await t.start({ falcoMetrics: responder, settings: { verificationDeadlineSeconds: 60, verificationTtlSeconds: 600, configMapPollMs: 5_000, ...settings } });
  await applyMonitor(t, 'main', { ruleSets: { names: ['team'] } });
  await waitForReady(t, 'main', ['team']);
  return { t, op, responder, nodes: t.cluster.nodeNames.length };
}

/** Reads every Falco pod now (the slow resync, on demand) until the status holds. */
async function until(s: Setup, what: string, check: (status: MonitorStatus | undefined) => boolean): Promise<MonitorStatus> {
  let last: MonitorStatus | undefined;
  await eventually(what, async () => {
    await s.op.readFalcoMetrics();
    last = await monitorStatus(s.t, 'main');
    return check(last);
  }, 90_000, 300).catch((err: unknown) => {
    throw new Error(`${String(err)}; last status: ${JSON.stringify(last)}`);
  });
  return last as MonitorStatus;
}

async function eventsWithReason(t: OperatorTest, reason: string): Promise<string[]> {
  const list = await t.kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: t.namespace });
  return list.items.filter((e) => e.reason === reason).map((e) => e.message ?? '');
}

test('loadedNodes moves to the new bundle only once Falco on each node reports its sha256', async () => {
  const s = await start('loaded-rollout');
  const first = await until(s, 'all nodes loaded', (st) => st?.loaded === `${s.nodes}/${s.nodes}`);
  assert.equal(conditionOf(first, 'RulesLoaded'), 'True/AllNodesLoaded');
  assert.equal(first.nodeReports, 'Simulated');
  assert.match(first.conditions?.find((c) => c.type === 'RulesLoaded')?.message ?? '', /simulated nodes/);
  assert.deepEqual(first.falcoVersions, [{ version: '0.44.1', nodes: s.nodes }]);
  assert.equal(first.falcoVersion, '0.44.1', 'the version the nodes run, not the one the (recorded 0.42.1) verification logged');
  await eventually('the rule set live on every node', async () => (await ruleSetStatus(s.t, 'team'))?.liveNodes === s.nodes, 30_000, 250);

  // Falco keeps reporting the files it loaded before the edit, whatever the pods now mount.
  s.responder.freeze();
  await applyRuleSet(s.t, 'team', rulesText('Team rule v2'));
  const stuck = await until(s, 'the new bundle rolled out but not loaded', (st) =>
    st?.bundleHash !== first.bundleHash && conditionOf(st, 'Ready') === 'True/AllNodesReady' && st?.notLoadedNodeCount === s.nodes && (st?.notLoadedNodes ?? []).every((n) => n.state === 'Drifted'));
  assert.equal(stuck.loadedNodes, 0, 'a Ready pod on the new template is not a node that loaded the new bundle');
  assert.equal(conditionOf(stuck, 'RulesLoaded'), 'False/NodesDrifted');
  const oldSha = createHash('sha256').update(rulesText('Team rule')).digest('hex');
  for (const n of stuck.notLoadedNodes ?? []) {
    assert.equal(n.rulesFiles?.find((f) => f.name === '000-team.yaml')?.sha256, oldSha, 'the status shows the sha256 the node still runs');
    assert.match(n.message ?? '', new RegExp(`000-team\\.yaml sha256 ${oldSha.slice(0, 12)} \\(expected [0-9a-f]{12}\\)`));
  }
  await eventually('the edited rules live nowhere yet', async () => (await ruleSetStatus(s.t, 'team'))?.liveNodes === 0, 30_000, 250);

  s.responder.thaw();
  const loaded = await until(s, 'the new bundle loaded everywhere', (st) => st?.loaded === `${s.nodes}/${s.nodes}`);
  assert.equal(loaded.bundleHash, stuck.bundleHash);
  assert.equal(conditionOf(loaded, 'RulesLoaded'), 'True/AllNodesLoaded');
  assert.deepEqual(loaded.notLoadedNodes, []);
  await eventually('the rule set live on every node', async () => (await ruleSetStatus(s.t, 'team'))?.liveNodes === s.nodes, 30_000, 250);
});

test('a node running other rules is reported as drifted with the sha256 it runs, with an Event, and heals', async () => {
  const s = await start('loaded-drift');
  await until(s, 'all nodes loaded', (st) => st?.loaded === `${s.nodes}/${s.nodes}`);
  const node = s.t.cluster.nodeNames[0] ?? '';
  const patched = rulesText('Patched by hand');
  s.responder.runInstead(node, { '000-team.yaml': patched });
  const drifted = await until(s, 'one node drifted', (st) => st?.notLoadedNodes?.[0]?.node === node);
  const entry = drifted.notLoadedNodes?.[0];
  assert.equal(entry?.state, 'Drifted');
  const sha = createHash('sha256').update(patched).digest('hex');
  assert.deepEqual(entry?.rulesFiles?.find((f) => f.name === '000-team.yaml')?.sha256, sha);
  assert.equal(drifted.loaded, `${s.nodes - 1}/${s.nodes}`);
  assert.equal(conditionOf(drifted, 'RulesLoaded'), 'False/NodesDrifted');
  await eventually('a NodeDrifted Event', async () => (await eventsWithReason(s.t, 'NodeDrifted')).some((m) => m.includes(node)), 30_000, 250);
  const gauge = await s.op.metrics.registry.getSingleMetricAsString('falconer_monitor_not_loaded_nodes');
  assert.match(gauge, new RegExp(`falconer_monitor_not_loaded_nodes\\{namespace="${s.t.namespace}",monitor="main",state="Drifted"\\} 1`));

  s.responder.runInstead(node, {});
  const healed = await until(s, 'the node healed', (st) => st?.loaded === `${s.nodes}/${s.nodes}`);
  assert.equal(conditionOf(healed, 'RulesLoaded'), 'True/AllNodesLoaded');
});

test('event drops make the monitor Degraded and count in the operator metrics; they clear when drops stop', async () => {
  const s = await start('loaded-drops', { falcoDropWindowMs: 4_000 });
  await until(s, 'all nodes loaded', (st) => st?.loaded === `${s.nodes}/${s.nodes}`);
  const node = s.t.cluster.nodeNames[1] ?? '';
  s.responder.drop(node, 1234);
  const degraded = await until(s, 'Degraded by drops', (st) => conditionOf(st, 'Degraded') === 'True/EventsDropped');
  assert.equal(degraded.eventDrops, 1234);
  assert.match(degraded.conditions?.find((c) => c.type === 'Degraded')?.message ?? '', new RegExp(node));
  const counter = await s.op.metrics.registry.getSingleMetricAsString('falconer_falco_event_drops_total');
  assert.match(counter, /falconer_falco_event_drops_total\{[^}]*monitor="main"\} 1234/);
  // Readings right after the drop keep showing it until the (shortened) window has passed.
  const clear = await until(s, 'drops stopped', (st) => conditionOf(st, 'Degraded') === 'False/AsExpected');
  assert.equal(clear.eventDrops, 0);
});

test('a ready Falco that stops answering on /metrics makes RulesLoaded Unknown and the monitor Degraded', async () => {
  const s = await start('loaded-missing');
  await until(s, 'all nodes loaded', (st) => st?.loaded === `${s.nodes}/${s.nodes}`);
  const node = s.t.cluster.nodeNames[2] ?? '';
  s.responder.silence(node, true);
  const missing = await until(s, 'metrics missing', (st) => conditionOf(st, 'Degraded') === 'True/MetricsMissing');
  assert.equal(conditionOf(missing, 'RulesLoaded'), 'Unknown/NoMetrics');
  assert.equal(missing.notLoadedNodes?.[0]?.node, node);
  assert.equal(missing.notLoadedNodes?.[0]?.state, 'NoMetrics');
  assert.match(missing.notLoadedNodes?.[0]?.message ?? '', /404/);
  const errors = await s.op.metrics.registry.getSingleMetricAsString('falconer_falco_metrics_read_errors_total');
  assert.match(errors, /monitor="main"\} [1-9]/);
  s.responder.silence(node, false);
  await until(s, 'metrics back', (st) => conditionOf(st, 'Degraded') === 'False/AsExpected' && st?.loaded === `${s.nodes}/${s.nodes}`);
});
