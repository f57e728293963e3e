import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionSchema, findCondition, setCondition } from '../../src/api/conditions.ts';
import type { Condition } from '../../src/api/conditions.ts';
import { MonitorConditionType, MonitorReason } from '../../src/api/conditions-monitor.ts';
import { RuleSetConditionType, RuleSetReason } from '../../src/api/conditions-ruleset.ts';

const t0 = new Date('2026-03-01T10:00:00.123Z');
const t1 = new Date('2026-03-01T11:00:00.000Z');
const ready = { type: 'Ready', status: 'False', reason: 'NotVerified', message: 'Waiting for Falco.' } as const;

test('adds a condition stamped with the generation and the injected time at second precision', () => {
  const list = setCondition(undefined, ready, { generation: 2, now: t0 });
  assert.deepEqual(list, [{ ...ready, lastTransitionTime: '2026-03-01T10:00:00Z', observedGeneration: 2 }]);
  assert.ok(conditionSchema.safeParse(list[0]).success);
});

test('keeps lastTransitionTime when the status does not change, even if reason and message do', () => {
  const before = setCondition(undefined, ready, { generation: 1, now: t0 });
  const after = setCondition(before, { ...ready, reason: 'VerificationPending', message: 'Job running.' }, { generation: 2, now: t1 });
  assert.equal(after[0]?.lastTransitionTime, '2026-03-01T10:00:00Z');
  assert.equal(after[0]?.reason, 'VerificationPending');
  assert.equal(after[0]?.observedGeneration, 2);
});

test('moves lastTransitionTime when the status changes', () => {
  const before = setCondition(undefined, ready, { generation: 1, now: t0 });
  const after = setCondition(before, { ...ready, status: 'True', reason: 'RuleSetReady' }, { generation: 1, now: t1 });
  assert.equal(after[0]?.lastTransitionTime, '2026-03-01T11:00:00Z');
});

test('leaves other conditions, their order and the input array untouched', () => {
  const valid: Condition = { type: 'Valid', status: 'True', reason: 'StaticCheckPassed', message: 'Ok.', lastTransitionTime: '2026-01-01T00:00:00Z' };
  const input = Object.freeze([valid, { ...valid, type: 'Ready', status: 'False' as const, reason: 'NotVerified' }]);
  const out = setCondition(input, { ...ready, status: 'True', reason: 'RuleSetReady' }, { generation: 1, now: t1 });
  assert.deepEqual(out.map((c) => c.type), ['Valid', 'Ready']);
  assert.equal(out[0], valid);
  assert.equal(input[1]?.status, 'False');
  assert.equal(findCondition(out, 'Ready')?.status, 'True');
});

test('condition catalogues use PascalCase names and reasons that the schema accepts', () => {
  const names = [...Object.values(RuleSetConditionType), ...Object.values(MonitorConditionType)];
  const reasons = [...Object.values(RuleSetReason), ...Object.values(MonitorReason)];
  for (const type of names) assert.match(type, /^[A-Z][A-Za-z]+$/);
  for (const reason of reasons) {
    assert.match(reason, /^[A-Z][A-Za-z]+$/);
    assert.ok(conditionSchema.safeParse({ ...ready, reason, lastTransitionTime: '2026-01-01T00:00:00Z' }).success, reason);
  }
  for (const catalogue of [RuleSetConditionType, MonitorConditionType, RuleSetReason, MonitorReason]) {
    for (const [key, value] of Object.entries(catalogue)) assert.equal(key, value);
  }
});
