import { diagnosticsOf } from './diagnostics.ts';
import type { RuleDiagnostic } from './diagnostics.ts';
import type { FalcoLoadResult } from './falco-json.ts';
import { loadBundle } from './loader/bundle.ts';
import { resultAsJson, resultAsText } from './loader/render.ts';
import { versionString } from './loader/semver.ts';

export interface RuleFile {
  readonly name: string;
  readonly content: string;
}

/** Bounds for untrusted rules content; every one has a default. */
export interface RulesLimits {
  /** Characters per file. */
  readonly maxFileBytes: number;
  readonly maxAliases: number;
  readonly maxYamlDepth: number;
  /** Parenthesis/transformer nesting in one condition. */
  readonly maxConditionDepth: number;
  /** Characters in one condition after list substitution. */
  readonly maxConditionLength: number;
  /** Nodes of one condition once every macro is substituted (Falco clones macros). */
  readonly maxExpandedNodes: number;
}

export const DEFAULT_LIMITS: RulesLimits = {
  maxFileBytes: 8 * 1024 * 1024,
  maxAliases: 10_000,
  maxYamlDepth: 64,
  maxConditionDepth: 500,
  maxConditionLength: 1_000_000,
  maxExpandedNodes: 200_000,
};

export interface ValidateOptions {
  readonly limits?: Partial<RulesLimits>;
  /**
   * Event sources with a loaded plugin (rules for other sources are skipped with
   * LOAD_UNKNOWN_SOURCE). Default: syscall only, as in the stock Falco image.
   */
  readonly knownSources?: readonly string[];
  /** Reuse the YAML parse of file contents seen in recent calls (default true). */
  readonly parseCache?: boolean;
}

/** One file's verdict, with Falco's JSON entry and verbose text for it. */
export interface FileValidation {
  readonly name: string;
  readonly ok: boolean;
  readonly falcoResult: FalcoLoadResult;
  readonly falcoText: string;
}

export interface RulesValidation {
  readonly ok: boolean;
  readonly errors: readonly RuleDiagnostic[];
  readonly warnings: readonly RuleDiagnostic[];
  /** Definitions collected over all files (redefinitions counted once). */
  readonly counts: { readonly rules: number; readonly macros: number; readonly lists: number };
  readonly ruleNames: readonly string[];
  readonly requiredEngineVersion: string;
  readonly requiredPluginVersions: ReadonlyArray<ReadonlyArray<{ readonly name: string; readonly version: string }>>;
  readonly files: readonly FileValidation[];
}

/**
 * Loads rules files in order as one bundle, the way `falco -V a.yaml -V b.yaml` does: one
 * collector for all files, everything recompiled after each file, one result per file.
 */
export function validateRuleFiles(files: readonly RuleFile[], options: ValidateOptions = {}): RulesValidation {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { results: loaded, collector } = loadBundle(files, options.knownSources ?? ['syscall'], limits, {
    parseCache: options.parseCache ?? true,
  });
  const contents = new Map(files.map((f) => [f.name, f.content]));
  const results: FileValidation[] = loaded.map((res) => ({
    name: res.name,
    ok: res.successful,
    falcoResult: resultAsJson(res, contents),
    falcoText: resultAsText(res, contents),
  }));
  const { errors, warnings } = diagnosticsOf(results.map((r) => r.falcoResult));
  return {
    ok: results.every((r) => r.ok),
    errors,
    warnings,
    counts: { rules: collector.rules.size, macros: collector.macros.size, lists: collector.lists.size },
    ruleNames: [...collector.rules.keys()],
    requiredEngineVersion: versionString(collector.requiredEngineVersion),
    requiredPluginVersions: collector.pluginRequirements,
    files: results,
  };
}

/** What `falco -V ... -o json_output=true` prints on stdout (one line). */
export function formatFalcoJson(v: RulesValidation): string {
  return `${JSON.stringify({ falco_load_results: v.files.map((f) => f.falcoResult) })}\n`;
}

/**
 * What `falco -V ...` prints on stdout in text mode: per file the verbose report, except
 * `<file>: Ok, with warnings` for a valid file with warnings (Falco logs those to stderr).
 */
export function formatFalcoText(v: RulesValidation): string {
  const summary = v.files
    .map((f) => (f.ok && f.falcoResult.warnings.length > 0 ? `${f.name}: Ok, with warnings` : f.falcoText))
    .join('\n');
  return `${summary}\n`;
}

/** Falco's exit status for `-V`: 1 when any file is invalid. */
export function falcoExitCode(v: RulesValidation): 0 | 1 {
  return v.ok ? 0 : 1;
}
