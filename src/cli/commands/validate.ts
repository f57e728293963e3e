import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

interface ValidateFlags {
  json: boolean;
  source: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `falconer validate <files...>`: loads the files in order as one bundle and prints what
 * `falco -V <file>...` prints (text, or with --json the falco_load_results document); exit 1 when
 * any file is invalid, as Falco does.
 */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Validate Falco rules files offline, loaded in order as one bundle (like falco -V)')
    .argument('<files...>', 'rules files, in load order (e.g. falco_rules.yaml then your own)')
    .option('--json', 'print the falco_load_results JSON document, as `falco -V ... -o json_output=true`', false)
    .option('--source <name>', 'also treat rules for this event source as loadable (repeatable; syscall always is)', collect, [])
    .action(async (files: string[], flags: ValidateFlags) => {
      process.exitCode = await runValidate(files, flags);
    });
}

async function runValidate(paths: readonly string[], flags: ValidateFlags): Promise<number> {
  const files = [];
  for (const name of paths) {
    try {
      files.push({ name, content: await readFile(name, 'utf8') });
    } catch {
      // Falco's wording for an unreadable -V file; nothing goes to stdout in that case
      process.stderr.write(`Error: Could not open file ${name} for reading\n`);
      return 1;
    }
  }
  // Loaded on demand so that other commands do not pay for the rules engine at start-up.
  const rules = await import('../../rules/index.ts');
  const result = rules.validateRuleFiles(files, { knownSources: ['syscall', ...flags.source] });
  if (flags.json) {
    process.stdout.write(rules.formatFalcoJson(result));
  } else {
    process.stdout.write(rules.formatFalcoText(result));
    for (const file of result.files) {
      // Falco logs the full report of a valid file with warnings to stderr
      if (file.ok && file.falcoResult.warnings.length > 0) process.stderr.write(`${file.falcoText}\n`);
    }
  }
  return rules.falcoExitCode(result);
}
