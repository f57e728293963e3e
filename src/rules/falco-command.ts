import { decodeFalcoBytes, jsonDumpError } from './encoding.ts';
import type { FalcoLoadResult } from './falco-json.ts';
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
    const dumpError =
      jsonDumpError({ falco_load_results: result.files.map((f) => f.falcoResult) }) ??
      files.map((f, i) => utf16SnippetError(f.bytes, result.files[i]?.falcoResult)).find((e) => e !== undefined);
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

const SNIPPET_HALF = 80;

/**
 * yaml-cpp reads a UTF-16 file (byte-order mark FF FE or FE FF) as text, but Falco cuts snippets
 * from the file's raw bytes: a snippet that reaches back to the first byte starts with the mark,
 * which is not UTF-8, and the JSON document stops there (measured on both binaries).
 */
function utf16SnippetError(bytes: Uint8Array, report: FalcoLoadResult | undefined): string | undefined {
  const bom = bytes[0];
  if (report === undefined || !((bom === 0xff && bytes[1] === 0xfe) || (bom === 0xfe && bytes[1] === 0xff))) return undefined;
  for (const m of [...report.errors, ...report.warnings]) {
    const locations = m.context.locations;
    const last = locations[locations.length - 1];
    if (last === undefined || last.item_type === 'condition expression') continue;
    let pos = last.position.offset;
    while (pos > 0 && (pos >= bytes.length || bytes[pos] === 0x0a)) pos--;
    let from = pos;
    while (from > 0 && bytes[from] !== 0x0a && pos - from < SNIPPET_HALF) from--;
    if (from === 0) return `[json.exception.type_error.316] invalid UTF-8 byte at index 0: 0x${bom.toString(16).toUpperCase()}`;
  }
  return undefined;
}
