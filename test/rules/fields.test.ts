import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listFieldClasses, parseFieldListing } from '../../src/rules/index.ts';
import { sourceFields } from '../../src/rules/fields/catalog.ts';
import { SYSCALL_FIELD_CLASSES } from '../../src/rules/fields/syscall-fields.generated.ts';
import { EVENT_CODE_NAMES, SYSCALL_NAMES } from '../../src/rules/fields/events.generated.ts';
import { shared } from './helpers.ts';

test('the generated syscall catalog matches the recorded `falco --list` output (no drift)', () => {
  const fromFalco = parseFieldListing(
    shared('falco-outputs/cases/list_fields/stdout'),
    shared('falco-outputs/cases/list_fields_markdown/stdout'),
  );
  assert.deepEqual(SYSCALL_FIELD_CLASSES, fromFalco);
});

test('every field Falco lists has a type, and the class order is libsinsp registration order', () => {
  const classes = listFieldClasses('syscall');
  assert.deepEqual(
    classes.map((c) => c.name),
    ['evt', 'evt', 'process', 'user', 'group', 'fd', 'fs.path', 'fdlist', 'container'],
  );
  const fields = classes.flatMap((c) => c.fields);
  assert.equal(fields.length, 273);
  assert.ok(fields.every((f) => f.type !== ''));
  assert.equal(fields.find((f) => f.name === 'fd.types')?.isList, true);
});

test('plugin sources list their own classes', () => {
  const names = listFieldClasses('k8s_audit').flatMap((c) => c.fields.map((f) => f.name));
  assert.ok(names.includes('ka.verb') && names.includes('json.value'));
  assert.equal(listFieldClasses('no_such_source').length, 0);
});

test('every event name Falco lists with --list-events is a known event or syscall name', () => {
  const listed = [...shared('falco-outputs/cases/list_events/stdout').matchAll(/^[<>] ([a-z_0-9]+)\(/gm)].map((m) => m[1]);
  const known = new Set([...EVENT_CODE_NAMES, ...SYSCALL_NAMES]);
  assert.deepEqual(listed.filter((n) => n !== undefined && !known.has(n)), []);
});

const LOOKUPS: ReadonlyArray<readonly [string, string | null]> = [
  ['proc.name', 'proc.name'],
  ['proc.aname[2]', 'proc.aname'],
  ['proc.aname[x]', null],
  ['proc.env[HOME]', 'proc.env'],
  ['evt.arg.flags', 'evt.arg'],
  ['evt.arg[0]', 'evt.arg'],
  ['evt.rawarg.res', 'evt.rawarg'],
  ['evt.type.is.open', 'evt.type.is'],
  ['thread.cgroup.cpuacct', 'thread.cgroup'],
  ['fd.types[1]', 'fd.types'],
  ['container.label[app]', 'container.label'],
  ['k8s.pod.label[app]', 'k8s.pod.label'],
  ['evt.dir', 'evt.dir'],
  ['fd.name[1]', null],
  ['proc.nobody', null],
];

for (const [name, expected] of LOOKUPS) {
  test(`the syscall field lookup resolves ${name} to ${expected ?? 'nothing'}`, () => {
    assert.equal(sourceFields('syscall')?.resolve(name)?.name ?? null, expected);
  });
}

test('field argument errors carry libsinsp messages', () => {
  assert.throws(() => sourceFields('syscall')?.resolve('evt.arg.nosuchparam'), /unknown event argument nosuchparam/);
  assert.throws(() => sourceFields('syscall')?.resolve('container.label'), /requires an argument but none provided/);
});
