/**
 * PodMonitors for Prometheus Operator users, against the real local control plane with the
 * Prometheus Operator's real PodMonitor CRD installed (its schema validates what Falconer
 * writes). The operator finds the CRD by API discovery, creates one PodMonitor per monitor that
 * selects exactly its Falco pods on the webserver port, follows spec changes, removes it when
 * turned off or suspended, and puts back one deleted by hand.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { serverSideApply, waitForCrdsEstablished } from '../../src/controlplane/setup.ts';
import { servesResource } from '../../src/kube/discovery.ts';
import { kubeRest } from '../../src/kube/rest.ts';
import { eventually } from '../support/eventually.ts';
import { podMonitorCrd } from '../support/prometheus-operator.ts';
import { rulesText } from './support/fixtures.ts';
import { applyMonitor, applyRuleSet, daemonSet, recordedPodLog, setupOperatorTest, waitForReady } from './support/harness.ts';
import type { OperatorTest } from './support/harness.ts';
import { KubeTransport } from '../../src/kube/transport.ts';

const tests: OperatorTest[] = [];
after(async () => Promise.all(tests.map((t) => t.stopAll())));

interface PodMonitorObject extends KubernetesObject {
  spec: { selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: Array<{ port?: string; path?: string; interval?: string }> };
}

async function readPodMonitor(t: OperatorTest, name: string): Promise<PodMonitorObject | undefined> {
  try {
    return (await KubernetesObjectApi.makeApiClient(t.kc).read({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name, namespace: t.namespace } })) as PodMonitorObject;
  } catch (err) {
    if (/HTTP-Code: 404|"code":404/.test(String(err)) || (err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

test('with the Prometheus Operator CRD installed, each monitor gets a PodMonitor for exactly its Falco pods, kept in step with the spec', async () => {
  const t = await setupOperatorTest('podmonitor');
  tests.push(t);
  const crd = await podMonitorCrd();
  await serverSideApply(t.kc, [crd]);
  await waitForCrdsEstablished(t.kc, [crd.metadata?.name ?? ''], 60_000);
  assert.equal(await servesResource(kubeRest(new KubeTransport(t.kc)), 'monitoring.coreos.com/v1', 'podmonitors'), true);
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  await applyRuleSet(t, 'team', rulesText('Team rule'));
  await t.start({ podMonitors: true, settings: { podMonitorReassertMs: 3_000 } });
  await applyMonitor(t, 'main', { ruleSets: { names: ['team'] }, metrics: { podMonitor: { labels: { release: 'kube-prometheus' }, interval: '30s' } } });
  await waitForReady(t, 'main', ['team']);

  let found: PodMonitorObject | undefined;
  await eventually('the PodMonitor exists', async () => (found = await readPodMonitor(t, 'main-falco')) !== undefined, 30_000, 250);
  const pm = found as PodMonitorObject;
  const ds = await daemonSet(t, 'main');
  const podLabels = ds?.spec?.template.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pm.spec.selector.matchLabels)) assert.equal(podLabels[k], v, `the selector ${k}=${v} matches the Falco pods`);
  const ports = ds?.spec?.template.spec?.containers.find((c) => c.name === 'falco')?.ports ?? [];
  assert.deepEqual(pm.spec.podMetricsEndpoints, [{ port: 'web', path: '/metrics', interval: '30s' }]);
  assert.ok(ports.some((p) => p.name === 'web'), 'the endpoint names a port the Falco container declares');
  assert.equal(pm.metadata?.labels?.['release'], 'kube-prometheus', "the user's labels, for the Prometheus podMonitorSelector");
  assert.equal(pm.metadata?.ownerReferences?.[0]?.kind, 'FalcoMonitor', 'deleted with its monitor');

  // A spec change reaches it.
  await applyMonitor(t, 'main', { ruleSets: { names: ['team'] }, metrics: { podMonitor: { labels: { release: 'kube-prometheus' }, interval: '1m' } } });
  await eventually('the interval follows the spec', async () => (await readPodMonitor(t, 'main-falco'))?.spec.podMetricsEndpoints[0]?.interval === '1m', 30_000, 250);

  // Deleted by hand: put back when the operator next asserts it.
  await KubernetesObjectApi.makeApiClient(t.kc).delete({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'main-falco', namespace: t.namespace } });
  await eventually('a PodMonitor deleted by hand comes back', async () => (await readPodMonitor(t, 'main-falco')) !== undefined, 60_000, 500);

  // Turned off: removed; on again: back.
  await applyMonitor(t, 'main', { ruleSets: { names: ['team'] }, metrics: { podMonitor: { enabled: false } } });
  await eventually('removed when turned off', async () => (await readPodMonitor(t, 'main-falco')) === undefined, 30_000, 250);
  await applyMonitor(t, 'main', { ruleSets: { names: ['team'] } });
  await eventually('back when turned on', async () => (await readPodMonitor(t, 'main-falco'))?.spec.podMetricsEndpoints[0]?.interval === undefined, 30_000, 250);
  assert.notEqual(await readPodMonitor(t, 'main-falco'), undefined);

  // Suspended: no Falco pods, no PodMonitor.
  await applyMonitor(t, 'main', { ruleSets: { names: ['team'] }, suspend: true });
  await eventually('removed while suspended', async () => (await readPodMonitor(t, 'main-falco')) === undefined, 30_000, 250);
});

test('a bad PodMonitor setting is refused with the field named', async () => {
  const t = await setupOperatorTest('podmonitor-bad');
  tests.push(t);
  await assert.rejects(applyMonitor(t, 'bad', { metrics: { podMonitor: { interval: 'every minute' } } }), /metrics\.podMonitor\.interval/);
});
