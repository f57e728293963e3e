import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { APPLIED_HASH_ANNOTATION, controllerReference, isSubset, withOwnerAndHash } from '../../src/kube/apply.ts';

const owner = { apiVersion: 'falconer.dev/v1alpha1', kind: 'FalcoMonitor', metadata: { name: 'fleet', uid: 'u1' } };

test('a live object that carries every desired field (plus server defaults) matches', () => {
  const desired = { spec: { containers: [{ name: 'falco', args: ['-c', 'x'] }], tolerations: [] } };
  const live = { spec: { containers: [{ name: 'falco', args: ['-c', 'x'], terminationMessagePath: '/dev/termination-log' }], dnsPolicy: 'ClusterFirst' } };
  assert.equal(isSubset(desired, live), true);
  assert.equal(isSubset({ spec: { containers: [{ name: 'falco', args: ['-c', 'y'] }] } }, live), false);
  assert.equal(isSubset({ a: [1, 2] }, { a: [1] }), false);
});

test('children carry one controller owner reference and the hash of what was applied', () => {
  const stamped = withOwnerAndHash<V1ConfigMap>(owner, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: '1' } });
  assert.deepEqual(stamped.metadata?.ownerReferences, [controllerReference(owner)]);
  assert.equal(controllerReference(owner).controller, true);
  const hash = stamped.metadata?.annotations?.[APPLIED_HASH_ANNOTATION];
  assert.match(hash ?? '', /^[0-9a-f]{64}$/);
  const changed = withOwnerAndHash<V1ConfigMap>(owner, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: {} });
  assert.notEqual(changed.metadata?.annotations?.[APPLIED_HASH_ANNOTATION], hash, 'dropping a field changes the hash, so it is re-applied');
});

test('values the API server rewrites still match: quantities, omitted falses and zeros', () => {
  assert.equal(isSubset({ limits: { cpu: '1000m', memory: '1024Mi' } }, { limits: { cpu: '1', memory: '1Gi' } }), true);
  assert.equal(isSubset({ limits: { cpu: '500m' } }, { limits: { cpu: '1' } }), false);
  assert.equal(isSubset({ readOnly: false, port: 0 }, {}), true);
  assert.equal(isSubset({ readOnly: true }, {}), false);
  assert.equal(isSubset({ name: 'main-1k' }, { name: 'main-1000' }), false, 'names are not quantities');
});
