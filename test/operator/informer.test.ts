import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { silentLogger } from '../../src/log/logger.ts';
import { Informer } from '../../src/operator/runtime/informer.ts';
import { eventually } from '../support/eventually.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { standInKubeConfig } from '../support/stand-in-kubeconfig.ts';

/**
 * A stand-in API server: the first watch fails (as when the API server restarts), and the
 * world changed meanwhile. The informer must start over, relist, and report both the new
 * object and the one that vanished.
 */
test('an informer restarts after a failed watch, relists, and reports what vanished meanwhile', async () => {
  let lists = 0;
  let watches = 0;
  const server = createServer((req, res) => {
    if (req.url?.includes('watch=true')) {
      watches += 1;
      if (watches === 1) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      return; // keep the second watch open
    }
    lists += 1;
    const items = lists === 1 ? [{ metadata: { name: 'old', namespace: 'ns', resourceVersion: '1' } }] : [{ metadata: { name: 'new', namespace: 'ns', resourceVersion: '2' } }];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ metadata: { resourceVersion: String(lists) }, items }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = standInKubeConfig(server);
  const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
    const res = await fetch(`${kc.getCurrentCluster()?.server}/api/v1/namespaces/ns/configmaps`);
    return (await res.json()) as KubernetesListObject<KubernetesObject>;
  };
  const informer = new Informer(new KubeTransport(kc), { kind: 'ConfigMap', path: '/api/v1/namespaces/ns/configmaps', list, logger: silentLogger(), maxRestartDelayMs: 50 });
  const seen: string[] = [];
  informer.onChange((o) => seen.push(o.metadata?.name ?? ''));
  try {
    await informer.start();
    await eventually('relisted after the failed watch', () => Promise.resolve(informer.get('new', 'ns') !== undefined), 10_000, 20);
    assert.equal(informer.get('old', 'ns'), undefined);
    assert.ok(seen.includes('new'));
    await eventually('the vanished object reported', () => Promise.resolve(seen.filter((n) => n === 'old').length === 2), 5_000, 20);
  } finally {
    await informer.stop();
    server.closeAllConnections();
    server.close();
  }
});
