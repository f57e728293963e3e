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
    .action(async (files: string[], flags: ValidateFlags) => {
      // Loaded on demand so that other commands do not pay for the rules engine at start-up.
      const { runValidate } = await import('./validate-run.ts');
      const code = await runValidate(files, flags);
      // Everything is written by now, synchronously (write-out.ts): exiting here skips tearing
      // down the heap, ~3 ms of every run.
      process.exit(code);
    });
}
