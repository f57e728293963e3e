/**
 * Leader election against the real API server (src/operator/runtime/leader-election.ts): a leader
 * renews with one write per retry period, and one whose Lease another replica took over meanwhile
 * notices at its next renewal and steps down.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node';
import { createLogger } from '../../src/log/logger.ts';
import { kubeRest } from '../../src/kube/rest.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { LeaderElector } from '../../src/operator/runtime/leader-election.ts';
import { getTestCluster } from '../support/cluster.ts';
import { eventually } from '../support/eventually.ts';

test('a leader renews its Lease with one write per period, and steps down once another replica holds it', async () => {
  const c = await getTestCluster();
  const namespace = await c.createNamespace('lease');
  const requests: string[] = [];
  const rest = kubeRest(new KubeTransport(c.kubeConfig(), { onRequest: (r) => requests.push(`${r.method} ${r.path}`) }));
  let leading = false;
  let stoppedLeading = 0;
  const elector = new LeaderElector({
    rest,
    namespace,
    name: 'falconer-operator',
    identity: 'replica-1',
    logger: createLogger({ level: 'error' }),
    leaseDurationMs: 5_000,
    retryPeriodMs: 200,
    renewDeadlineMs: 3_000,
    onStartedLeading: () => (leading = true),
    onStoppedLeading: () => {
      leading = false;
      stoppedLeading += 1;
    },
  });
  const leases = c.kubeConfig().makeApiClient(CoordinationV1Api);
  const lease = (): ReturnType<typeof leases.readNamespacedLease> => leases.readNamespacedLease({ name: 'falconer-operator', namespace });
  const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/falconer-operator`;
  elector.start();
  try {
    await eventually('replica-1 leads', async () => leading, 10_000, 20);
    const before = (await lease()).metadata?.resourceVersion;
    requests.length = 0;
    await sleep(1_500);
    // Renewals only: each a replace of the Lease, none a read.
    assert.ok(requests.length >= 4, requests.join('\n'));
    assert.deepEqual([...new Set(requests)], [`PUT ${path}`]);
    const renewed = await lease();
    assert.notEqual(renewed.metadata?.resourceVersion, before, 'the renewals reached the API server');
    assert.equal(renewed.spec?.holderIdentity, 'replica-1');

    // Another replica holds the Lease now, freshly renewed (as after a takeover).
    await leases.replaceNamespacedLease({
      name: 'falconer-operator',
      namespace,
      body: { ...renewed, spec: { ...renewed.spec, holderIdentity: 'replica-2', renewTime: new V1MicroTime(Date.now()), leaseDurationSeconds: 60 } },
    });
    await eventually('replica-1 steps down', async () => !leading, 10_000, 20);
    assert.equal(stoppedLeading, 1);
    // It campaigns on by reading the Lease, and leaves replica-2's alone.
    requests.length = 0;
    await sleep(600);
    assert.deepEqual([...new Set(requests)], [`GET ${path}`]);
    assert.equal((await lease()).spec?.holderIdentity, 'replica-2');
  } finally {
    await elector.stop();
  }
});
