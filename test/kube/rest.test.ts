import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { statusOf } from '../../src/kube/api-errors.ts';
import { kubeRest, objectPath, pathOf } from '../../src/kube/rest.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { standInKubeConfig } from '../support/stand-in-kubeconfig.ts';

test('REST paths: the core group under /api, others under /apis, names encoded', () => {
  assert.equal(objectPath('v1', 'configmaps', 'ns', 'rules'), '/api/v1/namespaces/ns/configmaps/rules');
  assert.equal(objectPath('coordination.k8s.io/v1', 'leases', 'falconer-system'), '/apis/coordination.k8s.io/v1/namespaces/falconer-system/leases');
  assert.equal(pathOf({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'falco-m', namespace: 'ns' } }), '/apis/apps/v1/namespaces/ns/daemonsets/falco-m');
  assert.equal(pathOf({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'v 1', namespace: 'ns' } }), '/apis/batch/v1/namespaces/ns/jobs/v%201');
  assert.throws(() => pathOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'ns' } }), /No REST path known for rbac.authorization.k8s.io\/v1 Role/);
  assert.throws(() => pathOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }), /without a name and namespace/);
});

/** A stand-in API server that records each request and answers from a table. */
async function standIn(answer: (req: IncomingMessage, body: string) => [number, unknown]): Promise<{ kc: KubeConfig; seen: Array<{ method: string; url: string; type: string; body: string }>; close(): void }> {
  const seen: Array<{ method: string; url: string; type: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'] ?? '', body });
      const [status, json] = answer(req, body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(json === undefined ? '' : JSON.stringify(json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = standInKubeConfig(server, { name: 'u', token: 'secret-token' });
  return { kc, seen, close: () => { server.closeAllConnections(); server.close(); } };
}

test('server-side apply, replace, read and delete send what the API server expects', async () => {
  const api = await standIn((req, body) => (req.method === 'GET' && req.url?.includes('missing') ? [404, { kind: 'Status', code: 404, message: 'configmaps "missing" not found' }] : [200, body === '' ? { kind: 'ConfigMap' } : JSON.parse(body)]));
  try {
    const rest = kubeRest(new KubeTransport(api.kc));
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, data: { k: 'v' } };
    assert.deepEqual(await rest.apply(pathOf(cm), cm, 'falconer'), cm);
    await rest.send('PUT', '/apis/falconer.dev/v1alpha1/namespaces/ns/falcomonitors/m/status', { status: { x: 1 } }, { fieldManager: 'falconer' });
    await rest.delete(pathOf(cm), { propagationPolicy: 'Background' });
    const err: unknown = await rest.get(objectPath('v1', 'configmaps', 'ns', 'missing')).then(() => undefined, (e: unknown) => e);
    assert.equal(statusOf(err), 404);
    assert.deepEqual(api.seen.map((r) => `${r.method} ${r.url} ${r.type}`), [
      'PATCH /api/v1/namespaces/ns/configmaps/a?fieldManager=falconer&force=true application/apply-patch+yaml',
      'PUT /apis/falconer.dev/v1alpha1/namespaces/ns/falcomonitors/m/status?fieldManager=falconer application/json',
      'DELETE /api/v1/namespaces/ns/configmaps/a?propagationPolicy=Background ',
      'GET /api/v1/namespaces/ns/configmaps/missing ',
    ]);
    assert.deepEqual(JSON.parse(api.seen[0]?.body ?? ''), cm);
  } finally {
    api.close();
  }
});
