import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { trimHeapAfterBursts } from '../../src/operator/runtime/heap-trim.ts';

test('the heap is trimmed once after each burst of work, once the queues stayed quiet', async () => {
  let idle = true;
  let collections = 0;
  const trim = trimHeapAfterBursts({ quiet: () => idle, quietMs: 60, checkMs: 10, collect: () => (collections += 1) });
  try {
    await sleep(150);
    assert.equal(collections, 0, 'no work, no collection');
    idle = false;
    await sleep(100);
    assert.equal(collections, 0, 'never while the queues are busy');
    idle = true;
    await sleep(30);
    assert.equal(collections, 0, 'not before the queues were quiet for quietMs');
    await sleep(200);
    assert.equal(collections, 1);
    await sleep(150);
    assert.equal(collections, 1, 'one collection per burst');
    idle = false;
    await sleep(40);
    idle = true;
    await sleep(250);
    assert.equal(collections, 2);
  } finally {
    trim.stop();
  }
});
