import * as z from 'zod';
import { STDIN_PATH } from '../falco/argv.ts';
// The reader of Falco's output by its own module, not the rules engine's index: the bundler splits
// code by the files imports reach, and the index reaches the whole engine (loader, YAML parser,
// field catalog), which `falconer mcp` loads only on the first tool call (src/mcp/lazy-deps.ts).
import { parseFalcoValidationOutput } from '../rules/falco-output.ts';
import type { RuleDiagnostic } from '../rules/index.ts';

/** One error or warning about candidate rules, as the tools return it (1-based positions). */
export const issueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional().describe('1-based'),
  column: z.number().int().optional().describe('1-based'),
  item: z.string().optional().describe('e.g. "rule \'Netcat in container\'"'),
  snippet: z.string().optional(),
});

export type Issue = z.infer<typeof issueSchema>;

export function toIssue(d: RuleDiagnostic, file?: string): Issue {
  const item = d.itemKind !== undefined && d.itemName !== undefined ? `${d.itemKind} '${d.itemName}'` : undefined;
  return {
    severity: d.severity,
    code: d.code,
    message: d.message.slice(0, 2000),
    file: file ?? d.file,
    ...(d.line === undefined ? {} : { line: d.line }),
    ...(d.column === undefined ? {} : { column: d.column }),
    ...(item === undefined ? {} : { item }),
    ...(d.snippet === undefined ? {} : { snippet: d.snippet.replace(/\n+$/, '').slice(0, 1000) }),
  };
}

export interface CandidateVerdict {
  valid: boolean;
  issues: Issue[];
  schemaWarnings: string[];
  /** Set when Falco stopped before validating (unreadable file, unmet plugin requirement). */
  error?: string;
}

/**
 * What a real `falco -V <base>… -V /dev/stdin -o json_output=true` said about the candidate
 * (the file read from stdin); the base files are the pod's, not the caller's.
 */
export function candidateVerdict(stdout: string, stderr: string, exitCode: number): CandidateVerdict {
  const parsed = parseFalcoValidationOutput(stdout, stderr);
  const mine = parsed.files.filter((f) => f.name === STDIN_PATH);
  const issues = mine.flatMap((f) => [...f.errors, ...f.warnings].map((d) => toIssue(d, 'candidate')));
  const verdict: CandidateVerdict = {
    valid: exitCode === 0 && parsed.ok,
    issues,
    schemaWarnings: mine.flatMap((f) => [...f.schemaWarnings]),
  };
  if (parsed.fatalError !== undefined) verdict.error = parsed.fatalError;
  else if (parsed.format === 'none' && exitCode !== 0) verdict.error = `falco -V exited with status ${exitCode} and printed no result.`;
  return verdict;
}
