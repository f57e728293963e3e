import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../src/operator/runtime/work-queue.ts';

test('queues a key once however often it is added', async () => {
  const q = new WorkQueue();
  q.add('a');
  q.add('a');
  q.add('b');
  assert.equal(q.length(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
});

test('never hands a key to two workers and requeues a key changed while in flight', async () => {
  const q = new WorkQueue();
  q.add('a');
  const key = await q.get();
  q.add('a');
  assert.equal(q.length(), 0, 'a key in flight is not queued again yet');
  q.done(key ?? '');
  assert.equal(q.length(), 1, 'done() requeues the key that changed meanwhile');
});

test('backs off exponentially per key and forgets after success', () => {
  const q = new WorkQueue({ baseDelayMs: 10, maxDelayMs: 35 });
  assert.deepEqual([q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a')], [10, 20, 35, 35]);
  q.forget('a');
  assert.equal(q.addRateLimited('a'), 10);
  q.shutdown();
});

test('adds a delayed key when its timer fires and wakes a waiting worker', async () => {
  const q = new WorkQueue();
  const waiting = q.get();
  q.addAfter('late', 20);
  assert.equal(q.idle(), false);
  // Scheduled, not queued: quiet (nothing to do now), not idle.
  assert.equal(q.quiet(), true);
  assert.equal(await waiting, 'late');
  assert.equal(q.quiet(), false, 'in flight until done');
  q.done('late');
  assert.equal(q.quiet(), true);
});

test('releases waiting workers on shutdown', async () => {
  const q = new WorkQueue();
  const waiting = q.get();
  q.shutdown();
  assert.equal(await waiting, undefined);
});
