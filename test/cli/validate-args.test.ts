/**
 * plainValidateArgs (src/cli/commands/validate.ts), which a start of `validate` from its snapshot
 * or first-run script reads a plain command line with instead of commander: whatever it reads, it
 * reads as commander reads it (the files, and the flags the action gets); everything else it
 * leaves to commander. Checked on written cases and on generated command lines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bareProgram } from '../../src/cli/program.ts';
import { plainValidateArgs, registerValidateCommand } from '../../src/cli/commands/validate.ts';
import { prng } from '../support/prng.ts';

type Parsed = { files: string[]; flags: Record<string, unknown> } | 'refused';

/** What commander hands the validate action for `validate <args>`, or 'refused' (help, errors). */
async function commanderReads(args: readonly string[]): Promise<Parsed> {
  const program = bareProgram().exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerValidateCommand(program);
  const command = program.commands.find((c) => c.name() === 'validate');
  assert.ok(command !== undefined);
  let got: Parsed = 'refused';
  command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  command.action((files: string[], flags: Record<string, unknown>) => {
    got = { files, flags: { ...flags } };
  });
  try {
    await program.parseAsync(['node', 'main.js', 'validate', ...args]);
  } catch {
    return 'refused';
  }
  return got;
}

function plainReads(args: readonly string[]): Parsed | undefined {
  const plain = plainValidateArgs(args);
  return plain === undefined ? undefined : { files: plain.files, flags: { ...plain.flags } };
}

const TAKEN = [
  ['falco_rules.yaml'],
  ['a.yaml', 'b.yaml'],
  ['--json', 'a.yaml'],
  ['a.yaml', '--json'],
  ['--source', 'k8s_audit', 'a.yaml'],
  ['--source=k8s_audit', '--source', 'aws_cloudtrail', 'a.yaml'],
  ['--falco-version', '0.42.1', 'a.yaml'],
  ['--falco-version=9.9.9', 'a.yaml', '--falco-version', '0.44.1'],
  ['a.yaml', '--json', '--source', 'okta', 'b.yaml'],
  ['./rules with spaces.yaml'],
];

const LEFT = [
  [],
  ['--json'],
  ['--help'],
  ['-h', 'a.yaml'],
  ['--bogus', 'a.yaml'],
  ['--json=1', 'a.yaml'],
  ['--source'],
  ['--source', '--json', 'a.yaml'],
  ['--source=', 'a.yaml'],
  ['--falco-version', '-1', 'a.yaml'],
  ['--', 'a.yaml'],
  ['-', 'a.yaml'],
  ['--version'],
];

test('plain command lines are read as commander reads them', async () => {
  for (const args of TAKEN) {
    const plain = plainReads(args);
    assert.notEqual(plain, undefined, `not taken: ${args.join(' ')}`);
    assert.deepEqual(plain, await commanderReads(args), args.join(' '));
  }
});

test('anything else is left to commander', async () => {
  for (const args of LEFT) assert.equal(plainValidateArgs(args), undefined, args.join(' '));
});

test('generated command lines: taken ones agree with commander', async () => {
  const rand = prng(7);
  const int = (n: number): number => Math.floor(rand() * n);
  const words = ['a.yaml', 'b.yaml', '--json', '--source', 'k8s_audit', '--source=okta', '--falco-version', '0.42.1', '--falco-version=0.44.1', '-x', '--', '-', '--help', ''];
  let taken = 0;
  for (let n = 0; n < 400; n++) {
    const args = Array.from({ length: int(6) }, () => words[int(words.length)] ?? '');
    const plain = plainReads(args);
    if (plain === undefined) continue;
    taken++;
    assert.deepEqual(plain, await commanderReads(args), JSON.stringify(args));
  }
  assert.ok(taken > 50, `only ${taken} generated command lines were plain`);
});
