import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subcommandOf, v8FlagsFor } from '../../src/cli/v8-tuning.ts';

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
