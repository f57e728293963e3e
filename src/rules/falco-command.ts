import { decodeFalcoBytes, jsonDumpError } from './encoding.ts';
import { formatFalcoJson, formatFalcoText, falcoExitCode, validateRuleFiles } from './validate.ts';
import type { ValidateOptions } from './validate.ts';

/** One rules file as bytes, the way Falco reads it from disk. */
export interface RuleFileBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface FalcoCommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: 0 | 1;
}

/**
 * Everything `falco -V <file>... [-o json_output=true]` prints for already-read files, as a pure
 * function: `falconer validate` writes it out and the differential tests compare it with the real
 * binary's output byte for byte.
 */
export function falcoValidateCommand(
  files: readonly RuleFileBytes[],
  options: ValidateOptions & { readonly json: boolean },
): FalcoCommandOutput {
  const result = validateRuleFiles(
    files.map((f) => ({ name: f.name, content: decodeFalcoBytes(f.bytes) })),
    options,
  );
  // A release neither model covers: what would stop Falco is only a warning here
  const notes = result.versionNotes.map((n) => `Warning: Falco ${result.falcoVersion} is not modelled; it may refuse these rules: ${n}\n`).join('');
  if (result.fatal !== undefined) {
    // Falco stops before printing any report (unmet plugin requirement)
    return { stdout: '', stderr: `Error: ${result.fatal}\n`, exitCode: 1 };
  }
  if (options.json) {
    // bytes that are not UTF-8 in a message or snippet stop Falco's JSON serialisation
    const dumpError = jsonDumpError({ falco_load_results: result.files.map((f) => f.falcoResult) });
    if (dumpError !== undefined) return { stdout: '', stderr: `${notes}Runtime error: ${dumpError}. Exiting.\n`, exitCode: 1 };
    return { stdout: formatFalcoJson(result), stderr: notes, exitCode: falcoExitCode(result) };
  }
  // Falco logs the full report of a valid file with warnings to stderr
  const stderr = result.files
    .filter((f) => f.ok && f.falcoResult.warnings.length > 0)
    .map((f) => `${f.falcoText}\n`)
    .join('');
  return { stdout: formatFalcoText(result), stderr: notes + stderr, exitCode: falcoExitCode(result) };
}
