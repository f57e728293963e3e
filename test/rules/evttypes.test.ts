/**
 * The event codes a condition can match (src/rules/condition/evttypes.ts), counted against the
 * event table itself: the codes named like the compared event types, their complement for
 * negations, the generic syscall codes for syscalls without events of their own. The table's last
 * code is in the cases, so a set that reaches the end of its last word is checked too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventCodeCount } from '../../src/rules/condition/evttypes.ts';
import { parseCondition } from '../../src/rules/condition/parser.ts';
import { EVENT_CODE_NAMES, SYSCALL_NAMES } from '../../src/rules/fields/events.generated.ts';

const ALL = EVENT_CODE_NAMES.length;
const count = (condition: string): number => eventCodeCount(parseCondition(condition));
/** Codes (from 2: 0 and 1 are the generic syscall events) named one of `names`. */
const named = (...names: string[]): number => EVENT_CODE_NAMES.filter((n, code) => code >= 2 && names.includes(n)).length;

test('event types narrow the set to the codes named like them; other checks leave every code', () => {
  assert.ok(named('open') > 0 && named('execve') > 0);
  assert.equal(count('evt.type = open'), named('open'));
  assert.equal(count('evt.type in (open, execve)'), named('open', 'execve'));
  assert.equal(count('evt.type = open or evt.type = execve'), named('open', 'execve'));
  assert.equal(count('evt.type = open and proc.name = bash'), named('open'));
  assert.equal(count('evt.type = open and evt.type = execve'), 0);
  assert.equal(count('proc.name = bash'), ALL);
});

test('negations take the complement within the table, up to its last code', () => {
  assert.equal(count('evt.type != open'), ALL - named('open'));
  assert.equal(count('not evt.type in (open, execve)'), ALL - named('open', 'execve'));
  assert.equal(count('not (evt.type = open or evt.type = execve)'), ALL - named('open', 'execve'));
  const last = EVENT_CODE_NAMES[ALL - 1] ?? '';
  assert.ok(/^\w+$/.test(last), last);
  assert.equal(count(`evt.type = ${last}`), named(last));
  assert.equal(count(`evt.type != ${last}`), ALL - named(last));
  assert.equal(count(`not evt.type != ${last}`), named(last));
});

test('a syscall without an event of its own matches the two generic syscall codes', () => {
  const bare = SYSCALL_NAMES.find((n) => !EVENT_CODE_NAMES.includes(n) && /^\w+$/.test(n));
  assert.ok(bare !== undefined);
  assert.equal(count(`evt.type = ${bare}`), 2);
  assert.equal(count(`evt.type in (${bare}, open)`), 2 + named('open'));
  assert.equal(count(`evt.type != ${bare}`), ALL - 2);
});
