import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortByLoadOrder } from '../../src/api/load-order.ts';

const rs = (name: string, loadOrder: number): { metadata: { name: string }; spec: { loadOrder: number } } => ({ metadata: { name }, spec: { loadOrder } });

test('loads rule sets by ascending loadOrder, ties broken by name in byte order', () => {
  const sorted = sortByLoadOrder([rs('b', 500), rs('z', 10), rs('a', 500), rs('a0', 500), rs('c', 1000)]);
  assert.deepEqual(sorted.map((r) => r.metadata.name), ['z', 'a', 'a0', 'b', 'c']);
});

test('does not modify its input', () => {
  const input = [rs('b', 2), rs('a', 1)];
  sortByLoadOrder(input);
  assert.deepEqual(input.map((r) => r.metadata.name), ['b', 'a']);
});
