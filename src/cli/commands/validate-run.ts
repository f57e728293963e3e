import { readFile } from 'node:fs/promises';
import { falcoExitCode, formatFalcoJson, formatFalcoText, validateRuleFiles } from '../../rules/validate.ts';

export interface ValidateFlags {
  json: boolean;
  source: string[];
}

/**
 * The body of `falconer validate`, in its own module so that the command line loads it (and the
 * rules engine) only when the command runs. It imports rules/validate.ts rather than the rules
 * engine's index: the bundler splits code by the files an entry's imports reach, and the index
 * also reaches the reader of real Falco's output, which pulls zod (0.75 MB) into the chunk.
 */
export async function runValidate(paths: readonly string[], flags: ValidateFlags): Promise<number> {
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
  const result = validateRuleFiles(files, { knownSources: ['syscall', ...flags.source] });
  if (flags.json) {
    process.stdout.write(formatFalcoJson(result));
  } else {
    process.stdout.write(formatFalcoText(result));
    for (const file of result.files) {
      // Falco logs the full report of a valid file with warnings to stderr
      if (file.ok && file.falcoResult.warnings.length > 0) process.stderr.write(`${file.falcoText}\n`);
    }
  }
  return falcoExitCode(result);
}
