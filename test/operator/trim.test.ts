import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { trimPod, withoutManagedFields } from '../../src/operator/runtime/trim.ts';

const pod: V1Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'falco-abc',
    namespace: 'ns',
    labels: { 'falconer.dev/monitor': 'm' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'm-falco', uid: 'u', controller: true }],
    managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }],
    annotations: { big: 'x'.repeat(10_000), 'falconer.dev/bundle-hash': 'sha256:b', 'falconer.dev/config-hash': 'sha256:c', 'falconer.dev/template-hash': 'sha256:t' },
  },
  spec: {
    nodeName: 'node-1',
    containers: [{ name: 'falco', image: 'falcosecurity/falco:0.44.1', args: ['-c', '/etc/falco/falco.yaml'] }],
    volumes: [{ name: 'rules', configMap: { name: 'm-rules-1234' } }, { name: 'proc', hostPath: { path: '/proc' } }],
  },
  status: { phase: 'Running', containerStatuses: [{ name: 'falco', image: 'i', imageID: '', ready: true, restartCount: 0 }] },
};

test('the pod cache keeps what reconcilers read and drops the rest', () => {
  const t = trimPod(pod);
  assert.deepEqual(t.metadata?.labels, pod.metadata?.labels);
  assert.deepEqual(t.metadata?.ownerReferences, pod.metadata?.ownerReferences);
  assert.equal(t.spec?.nodeName, 'node-1');
  assert.deepEqual(t.spec?.volumes, [{ name: 'rules', configMap: { name: 'm-rules-1234' } }]);
  assert.equal(t.status?.containerStatuses?.[0]?.ready, true);
  assert.equal(t.metadata?.managedFields, undefined);
  assert.deepEqual(
    t.metadata?.annotations,
    { 'falconer.dev/bundle-hash': 'sha256:b', 'falconer.dev/config-hash': 'sha256:c', 'falconer.dev/template-hash': 'sha256:t' },
    'only the hashes the load summary and the rollback compare',
  );
  assert.ok(JSON.stringify(t).length < JSON.stringify(pod).length / 10);
});

test('other cached objects lose only their managedFields', () => {
  const t = withoutManagedFields(pod);
  assert.equal(t.metadata?.managedFields, undefined);
  assert.deepEqual(t.spec, pod.spec);
  assert.equal(pod.metadata?.managedFields?.length, 1, 'the input is not modified');
});
