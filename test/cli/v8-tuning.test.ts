import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_MAGLEV_BELOW_BYTES, subcommandOf, v8FlagsFor, v8FlagsForInput } from '../../src/cli/v8-tuning.ts';

const argv = (...args: string[]): string[] => ['/usr/bin/node', '/opt/falconer/dist/cli/main.js', ...args];

test('the subcommand is the first word after the script that is not an option', () => {
  assert.equal(subcommandOf(argv('validate', 'a.yaml')), 'validate');
  assert.equal(subcommandOf(argv('--help')), undefined);
  assert.equal(subcommandOf(argv('-V', 'mcp', '--read-only')), 'mcp');
  assert.equal(subcommandOf(argv()), undefined);
});

test('only validate, which runs once and exits, turns the optimising compiler off', () => {
  assert.ok(v8FlagsFor(argv('validate', 'falco_rules.yaml')).includes('--no-opt'));
  // Long-running commands keep Node's defaults: there the optimised code pays back.
  for (const command of ['operator', 'mcp', 'dev', 'cluster']) assert.deepEqual(v8FlagsFor(argv(command)), [], command);
  assert.deepEqual(v8FlagsFor(argv('--help')), []);
});

test('validate turns Maglev off for small inputs only, where the run ends before it pays back', () => {
  // falco_rules.yaml alone, and with a small file of one's own
  assert.deepEqual(v8FlagsForInput(63_642), ['--no-maglev']);
  assert.deepEqual(v8FlagsForInput(70_000), ['--no-maglev']);
  // the three published files together: Maglev saves ~25 ms there
  assert.deepEqual(v8FlagsForInput(223_849), []);
  assert.deepEqual(v8FlagsForInput(NO_MAGLEV_BELOW_BYTES), []);
});
