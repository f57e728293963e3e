import type { LoadMessage } from '../../api/ruleset.ts';
import { parseFalcoValidationOutput, validateRuleFiles } from '../../rules/index.ts';
import type { RuleDiagnostic } from '../../rules/index.ts';

/** What the static check reports about one rule set. */
export interface StaticCheckResult {
  ok: boolean;
  errors: LoadMessage[];
  warnings: LoadMessage[];
  counts: { rules: number; macros: number; lists: number };
  ruleNames: string[];
  /** The Falco release whose loader was modelled; undefined when the release asked for is not modelled. */
  modelledFalcoVersion: string | undefined;
}

/** One file's verdict in `falco -V … -o json_output=true` output. */
export interface FileVerdict {
  name: string;
  successful: boolean;
  errors: LoadMessage[];
}

/**
 * The two things the operator needs from the rules engine (src/rules), behind an interface so
 * reconcilers do not depend on the engine's types and tests can inject a stub.
 */
export interface RulesEngine {
  /** `falcoVersion`: the release to model (the monitor's image); absent models the default image's. */
  checkStatic(fileName: string, content: string, falcoVersion?: string): StaticCheckResult;
  /** Per-file verdicts from a verification pod's log; undefined when it holds no result. */
  parseValidation(log: string): FileVerdict[] | undefined;
}

export const rulesEngine: RulesEngine = {
  checkStatic(fileName, content, falcoVersion) {
    const result = validateRuleFiles([{ name: fileName, content }], falcoVersion === undefined ? {} : { falcoVersion });
    return {
      ok: result.ok,
      errors: result.errors.map((d) => toLoadMessage(d, 'StaticCheck')),
      warnings: result.warnings.map((d) => toLoadMessage(d, 'StaticCheck')),
      counts: { ...result.counts },
      ruleNames: [...result.ruleNames],
      modelledFalcoVersion: result.modelledFalcoVersion,
    };
  },
  parseValidation(log) {
    // A pod log interleaves Falco's stdout (the JSON) and stderr (log lines, `Error: …`).
    const parsed = parseFalcoValidationOutput(log, log);
    if (parsed.format === 'none') return undefined;
    return parsed.files.map((f) => ({ name: f.name, successful: f.ok, errors: f.errors.map((d) => toLoadMessage(d, 'Falco')) }));
  },
};

function toLoadMessage(d: RuleDiagnostic, reportedBy: LoadMessage['reportedBy']): LoadMessage {
  const m: LoadMessage = {
    code: /^LOAD_[A-Z_]+$/.test(d.code) ? d.code : 'LOAD_ERR_VALIDATE',
    message: d.message.slice(0, 1024),
    reportedBy,
  };
  if (d.itemKind !== undefined) m.itemKind = d.itemKind.slice(0, 64);
  if (d.itemName !== undefined) m.itemName = d.itemName.slice(0, 256);
  if (d.line !== undefined && d.line >= 1) m.line = d.line;
  if (d.column !== undefined && d.column >= 1) m.column = d.column;
  return m;
}

/** The "Falco version: 0.42.1 (x86_64)" line Falco logs at start-up. */
export function parseFalcoVersion(log: string): string | undefined {
  return /Falco version: ([0-9][^\s]*)/.exec(log)?.[1]?.slice(0, 64);
}

/** The last `Error: …` line (plugin requirements, unreadable files: no JSON then). */
export function parseErrorLine(log: string): string | undefined {
  // "Error: …" ends a refused load; "<time>: Runtime error: …" a plugin or engine that would not start.
  for (const line of log.split('\n').reverse()) {
    const m = /(?:^|: )(?:Runtime error|Error): (.*)$/.exec(line);
    if (m?.[1] !== undefined) return m[1].slice(0, 1024);
  }
  return undefined;
}
