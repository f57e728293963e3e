import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectStore } from '../../src/operator/runtime/object-store.ts';

const obj = (namespace: string, name: string, resourceVersion: string): KubernetesObject => ({ metadata: { namespace, name, resourceVersion } });

test('the store tells new and changed objects from repeats, by namespace and name', () => {
  const store = new ObjectStore<KubernetesObject>();
  assert.equal(store.put(obj('a', 'x', '1')), true);
  assert.equal(store.put(obj('a', 'x', '1')), false, 'same resourceVersion: no change');
  assert.equal(store.put(obj('a', 'x', '2')), true);
  assert.equal(store.put(obj('b', 'x', '3')), true);
  assert.equal(store.get('x', 'a')?.metadata?.resourceVersion, '2');
  assert.deepEqual(store.list('b').map((o) => o.metadata?.namespace), ['b']);
  assert.equal(store.list().length, 2);
  assert.equal(store.remove(obj('a', 'x', '4'))?.metadata?.resourceVersion, '2');
  assert.equal(store.get('x', 'a'), undefined);
});

test('a fresh list replaces the store and reports what vanished and what changed', () => {
  const store = new ObjectStore<KubernetesObject>();
  store.replaceAll([obj('a', 'keep', '1'), obj('a', 'gone', '1'), obj('b', 'edit', '1')]);
  const { vanished, changed } = store.replaceAll([obj('a', 'keep', '1'), obj('b', 'edit', '2'), obj('c', 'new', '1')]);
  assert.deepEqual(vanished.map((o) => o.metadata?.name), ['gone']);
  assert.deepEqual(changed.map((o) => o.metadata?.name), ['edit', 'new']);
  assert.deepEqual(store.list().map((o) => o.metadata?.name).sort(), ['edit', 'keep', 'new']);
});
