import type { Command } from 'commander';
import type { ValidateFlags } from './validate-run.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `falconer validate <files...>`: loads the files in order as one bundle and prints what
 * `falco -V <file>...` prints (text, or with --json the falco_load_results document); exit 1 when
 * any file is invalid or a plugin requirement is unmet, as Falco does.
 */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Validate Falco rules files offline, loaded in order as one bundle (like falco -V)')
    .argument('<files...>', 'rules files, in load order (e.g. falco_rules.yaml then your own)')
    .option('--json', 'print the falco_load_results JSON document, as `falco -V ... -o json_output=true`', false)
    .option('--source <name>', 'also treat rules for this event source as loadable (repeatable; syscall always is)', collect, [])
    .option('--falco-version <version>', 'the Falco release to model: 0.42.1 or 0.44.1 (default: 0.44.1, the default image)')
    .action(validateAction);
}

/** The command's action, with the files and flags commander (or plainValidateArgs) read. */
export async function validateAction(files: string[], flags: ValidateFlags): Promise<void> {
  // Loaded on demand so that other commands do not pay for the rules engine at start-up.
  const { runValidate } = await import('./validate-run.ts');
  const code = await runValidate(files, flags);
  // Everything is written by now, synchronously (write-out.ts): exiting here skips tearing
  // down the heap, ~3 ms of every run.
  process.exit(code);
}

/**
 * The files and flags of a plain `falconer validate` command line (`args`: the words after
 * `validate`), as commander reads them, or undefined for anything else, which commander then reads
 * itself (help, an unknown or incomplete option, `--`, no file…). A start from the startup snapshot
 * or the first-run script takes this path without building the command line: ~2-3 ms of a
 * first run (src/cli/snapshot/entry.ts; test/cli/validate-args.test.ts holds it to commander).
 */
export function plainValidateArgs(args: readonly string[]): { files: string[]; flags: ValidateFlags } | undefined {
  const files: string[] = [];
  const flags: ValidateFlags = { json: false, source: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('-')) {
      files.push(arg);
      continue;
    }
    if (arg === '--json') {
      flags.json = true;
      continue;
    }
    const [name, inline] = splitOption(arg);
    if (name !== '--source' && name !== '--falco-version') return undefined;
    const value = inline ?? args[++i];
    // a missing value, or one commander might read as an option, is commander's to judge
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (name === '--source') flags.source.push(value);
    else flags.falcoVersion = value;
  }
  return files.length > 0 ? { files, flags } : undefined;
}

/** `--name=value` as name and value; any other word as itself, with no value. */
function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
