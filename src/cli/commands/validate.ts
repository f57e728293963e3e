import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

interface ValidateFlags {
  json: boolean;
  source: string[];
  falcoVersion?: string;
}

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
      process.exitCode = await runValidate(files, flags);
    });
}

async function runValidate(paths: readonly string[], flags: ValidateFlags): Promise<number> {
  const files = [];
  for (const name of paths) {
    try {
      files.push({ name, bytes: await readFile(name) });
    } catch {
      // Falco's wording for an unreadable -V file; nothing goes to stdout in that case
      process.stderr.write(`Error: Could not open file ${name} for reading\n`);
      return 1;
    }
  }
  // Loaded on demand so that other commands do not pay for the rules engine at start-up.
  const rules = await import('../../rules/index.ts');
  const out = rules.falcoValidateCommand(files, {
    json: flags.json,
    knownSources: ['syscall', ...flags.source],
    ...(flags.falcoVersion !== undefined ? { falcoVersion: flags.falcoVersion } : {}),
  });
  const profile = rules.falcoProfile(flags.falcoVersion);
  if (profile.modelled === undefined) {
    process.stderr.write(
      `Warning: Falco ${profile.falcoVersion} is not modelled (known: ${rules.MODELLED_FALCO_VERSIONS.join(', ')}); ` +
        `checked as ${rules.DEFAULT_FALCO_VERSION}, version-dependent refusals are reported as warnings\n`,
    );
  }
  process.stdout.write(out.stdout);
  process.stderr.write(out.stderr);
  return out.exitCode;
}
