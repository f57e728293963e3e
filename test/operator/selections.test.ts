import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawObject } from '../../src/operator/deps.ts';
import { Selections } from '../../src/operator/selections.ts';
import type { SelectionCache } from '../../src/operator/selections.ts';
import { NS, rulesText } from './support/fixtures.ts';

/** Plain maps standing in for the two informer caches (get and list are all Selections reads). */
function caches(): SelectionCache & { put(kind: 'ruleSets' | 'monitors', o: RawObject): RawObject; remove(kind: 'ruleSets' | 'monitors', name: string): void } {
  const stores = { ruleSets: new Map<string, RawObject>(), monitors: new Map<string, RawObject>() };
  const lookup = (store: Map<string, RawObject>) => ({
    get: (name: string) => store.get(name),
    list: () => [...store.values()],
  });
  return {
    ruleSets: lookup(stores.ruleSets),
    monitors: lookup(stores.monitors),
    put(kind, o) {
      stores[kind].set(o.metadata?.name ?? '', o);
      return o;
    },
    remove(kind, name) {
      stores[kind].delete(name);
    },
  };
}

function ruleSet(name: string, labels: Record<string, string>): RawObject {
  return { apiVersion: 'falconer.dev/v1alpha1', kind: 'FalcoRuleSet', metadata: { name, namespace: NS, generation: 1, labels }, spec: { rules: rulesText() } };
}

function monitor(name: string, group: string, generation = 1): RawObject {
  return { apiVersion: 'falconer.dev/v1alpha1', kind: 'FalcoMonitor', metadata: { name, namespace: NS, generation }, spec: { ruleSets: { selector: { matchLabels: { group } } } } };
}

test('a rule set change wakes only the monitors that select it, and one a label edit took it from', () => {
  const cache = caches();
  const s = new Selections();
  for (const m of [monitor('a', 'a'), monitor('b', 'b'), monitor('c', 'c')]) s.monitorChanged(cache.put('monitors', m), cache);
  const r = cache.put('ruleSets', ruleSet('r', { group: 'a' }));
  assert.deepEqual(s.ruleSetChanged(r, cache), [`${NS}/a`]);
  // Relabelled from a to b: a must drop it from its bundle, b must add it.
  const moved = cache.put('ruleSets', ruleSet('r', { group: 'b' }));
  assert.deepEqual(s.ruleSetChanged(moved, cache).sort(), [`${NS}/a`, `${NS}/b`]);
  assert.deepEqual(s.ruleSetChanged(moved, cache), [`${NS}/b`], 'a no longer selects it');
  cache.remove('ruleSets', 'r');
  assert.deepEqual(s.ruleSetChanged(moved, cache), [`${NS}/b`], 'a deleted rule set wakes the monitor that held it');
  assert.deepEqual(s.ruleSetChanged(moved, cache), []);
});

test('a monitor wakes its rule sets when its spec changes or it goes, not on status writes', () => {
  const cache = caches();
  const s = new Selections();
  for (const [name, group] of [['r1', 'a'], ['r2', 'a'], ['r3', 'b']] as const) cache.put('ruleSets', ruleSet(name, { group }));
  const m = cache.put('monitors', monitor('m', 'a'));
  assert.deepEqual(s.monitorChanged(m, cache).sort(), [`${NS}/r1`, `${NS}/r2`]);
  // Same generation: a status write.
  assert.deepEqual(s.monitorChanged(cache.put('monitors', { ...monitor('m', 'a'), status: { observedGeneration: 1 } }), cache), []);
  // Selector changed: the old and the new selection both hear about it.
  const moved = cache.put('monitors', monitor('m', 'b', 2));
  assert.deepEqual(s.monitorChanged(moved, cache).sort(), [`${NS}/r1`, `${NS}/r2`, `${NS}/r3`]);
  cache.remove('monitors', 'm');
  assert.deepEqual(s.monitorChanged(moved, cache), [`${NS}/r3`]);
});
