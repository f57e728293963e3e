import { diagnosticsOf, toDiagnostic } from './diagnostics.ts';
import type { RuleDiagnostic } from './diagnostics.ts';
import { FalcoLoadResultsDocumentSchema } from './falco-json.ts';
import type { FalcoLoadResult } from './falco-json.ts';
import { parseFalcoText } from './falco-text.ts';

export interface ParsedFileValidation {
  readonly name: string;
  readonly ok: boolean;
  readonly schemaValid?: boolean;
  readonly schemaWarnings: readonly string[];
  readonly errors: readonly RuleDiagnostic[];
  readonly warnings: readonly RuleDiagnostic[];
}

export interface ParsedFalcoValidation {
  readonly ok: boolean;
  /** Which form stdout was in; 'none' when Falco printed no result (a fatal error). */
  readonly format: 'json' | 'text' | 'none';
  readonly files: readonly ParsedFileValidation[];
  readonly errors: readonly RuleDiagnostic[];
  readonly warnings: readonly RuleDiagnostic[];
  /** The `Error: ...` line Falco wrote to stderr when it stopped before validating. */
  readonly fatalError?: string;
}

/**
 * Reads what a real `falco -V <file>... [-o json_output=true]` printed: the JSON document(s)
 * `{"falco_load_results": [...]}` or the text report. With stdout empty, Falco failed before
 * validating (unreadable file, unmet plugin requirement): pass stderr to get that error.
 */
export function parseFalcoValidationOutput(stdout: string, stderr = ''): ParsedFalcoValidation {
  const fromJson = jsonResults(stdout);
  const results = fromJson ?? parseFalcoText(stdout);
  const fatal = fatalErrorLine(stderr);
  const missing = fatal === undefined ? undefined : /^Could not open file (.*) for reading$/.exec(fatal);
  const extra: RuleDiagnostic[] =
    results.length === 0 && fatal !== undefined
      ? [toDiagnostic('error', {
          code: missing ? 'LOAD_ERR_FILE_READ' : 'LOAD_ERR_VALIDATE',
          codedesc: '',
          context: { locations: missing ? [{ item_name: '', item_type: 'rules content', position: { name: missing[1] ?? '', line: 0, column: 0, offset: 0 } }] : [] },
          message: fatal,
        }, missing?.[1] ?? '')]
      : [];
  const { errors, warnings } = diagnosticsOf(results);
  return {
    ok: results.length > 0 && results.every((r) => r.successful) && extra.length === 0,
    format: fromJson !== undefined ? 'json' : results.length > 0 ? 'text' : 'none',
    files: results.map(fileOf),
    errors: [...errors, ...extra],
    warnings,
    ...(fatal !== undefined && results.length === 0 ? { fatalError: fatal } : {}),
  };
}

function fileOf(r: FalcoLoadResult): ParsedFileValidation {
  const { errors, warnings } = diagnosticsOf([r]);
  return {
    name: r.name,
    ok: r.successful,
    ...(r.schema_valid !== undefined ? { schemaValid: r.schema_valid } : {}),
    schemaWarnings: r.schema_warnings ?? [],
    errors,
    warnings,
  };
}

/** Every line that parses as a `falco_load_results` document; undefined when there is none. */
function jsonResults(stdout: string): FalcoLoadResult[] | undefined {
  let found: FalcoLoadResult[] | undefined;
  for (const line of stdout.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      continue;
    }
    const doc = FalcoLoadResultsDocumentSchema.safeParse(value);
    if (doc.success) found = [...(found ?? []), ...doc.data.falco_load_results];
  }
  return found;
}

/** Falco prints `Error: <message>` as the last thing on stderr; the message may span lines. */
function fatalErrorLine(stderr: string): string | undefined {
  const index = stderr.lastIndexOf('Error: ');
  if (index < 0) return undefined;
  const lineStart = stderr.lastIndexOf('\n', index) + 1;
  if (index !== lineStart) return undefined;
  return stderr.slice(index + 'Error: '.length).split('\n')[0]?.trim();
}
