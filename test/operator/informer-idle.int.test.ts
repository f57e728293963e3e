/**
 * An informer's watch on the real API server while nothing changes: it stays open, on one
 * connection, past the 30 s after which it used to be restarted (a new TLS connection for each
 * of the operator's seven watches every 30 s), and it still delivers the next change. About 40 s,
 * idle.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { silentLogger } from '../../src/log/logger.ts';
import { kubeRest } from '../../src/kube/rest.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { Informer } from '../../src/operator/runtime/informer.ts';
import { getTestCluster } from '../support/cluster.ts';
import { eventually } from '../support/eventually.ts';

test('an idle watch stays open past 30 s and still delivers the next change', async () => {
  const c = await getTestCluster();
  const namespace = await c.createNamespace('idle-watch');
  const requests: string[] = [];
  const transport = new KubeTransport(c.kubeConfig(), { onRequest: (r) => requests.push(`${r.method} ${r.path}`) });
  const path = `/api/v1/namespaces/${namespace}/configmaps`;
  const rest = kubeRest(transport);
  const informer = new Informer<KubernetesObject>(transport, {
    kind: 'ConfigMap',
    path,
    list: () => rest.get<KubernetesListObject<KubernetesObject>>(path),
    logger: silentLogger(),
  });
  try {
    await informer.start();
    await sleep(38_000);
    // One list and one watch, nothing since.
    assert.deepEqual(requests, [`GET ${path}`, `GET ${path}`]);
    await c.kubeConfig().makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace, body: { metadata: { name: 'after-the-quiet' }, data: { a: 'b' } } });
    await eventually('the change arrives on the same watch', () => Promise.resolve(informer.get('after-the-quiet', namespace) !== undefined), 5_000, 20);
    assert.equal(requests.length, 2, requests.join('\n'));
  } finally {
    await informer.stop();
  }
});
