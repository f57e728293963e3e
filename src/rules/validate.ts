import { DeepConditionError } from './condition/parser.ts';
import { diagnosticsOf, toDiagnostic } from './diagnostics.ts';
import { validateOnLargeStack } from './large-stack.ts';
import type { RuleDiagnostic } from './diagnostics.ts';
import type { FalcoLoadResult } from './falco-json.ts';
import { loadBundle } from './loader/bundle.ts';
import { resultAsJson, resultAsText } from './loader/render.ts';
import { compatibleWith, parseSemver, versionString } from './loader/semver.ts';
import { MODELLED_FALCO_VERSIONS, falcoProfile } from './falco-versions.ts';
import type { FalcoProfile } from './falco-versions.ts';

export interface RuleFile {
  readonly name: string;
  readonly content: string;
  /** The file's bytes when known (checked for valid UTF-8 as Falco does; `content` is their text). */
  readonly bytes?: Uint8Array;
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
  maxConditionDepth: 8170,
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
  /**
   * The Falco release to model (default 0.44.1, the default image's). For a release no model
   * covers, every modelled release reads the files: what all refuse is an error, what only some
   * refuse becomes a warning naming them (and a line in `versionNotes`).
   */
  readonly falcoVersion?: string;
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
  /** The Falco release asked for, and the one whose behaviour was modelled (undefined: none). */
  readonly falcoVersion: string;
  readonly modelledFalcoVersion: string | undefined;
  /**
   * Why Falco would stop before printing any report (an unmet plugin requirement: empty stdout,
   * exit 1, `Error: <fatal>` on stderr). Only set when the release is modelled.
   */
  readonly fatal?: string;
  /** Version-dependent findings kept as warnings because the release is not modelled. */
  readonly versionNotes: readonly string[];
}

/**
 * Loads rules files in order as one bundle, the way `falco -V a.yaml -V b.yaml` does: one
 * collector for all files, everything recompiled after each file, one result per file.
 */
export function validateRuleFiles(files: readonly RuleFile[], options: ValidateOptions = {}): RulesValidation {
  if (falcoProfile(options.falcoVersion).modelled !== undefined) return validateAsModelled(files, options);
  return validateUnmodelled(files, options);
}

function validateAsModelled(files: readonly RuleFile[], options: ValidateOptions): RulesValidation {
  try {
    return validateRuleFilesInline(files, options);
  } catch (error) {
    // Deeper than this thread's stack can follow (Falco follows ~8,170 levels): redo on a big stack
    if (error instanceof DeepConditionError || error instanceof RangeError) return validateOnLargeStack(files, options);
    throw error;
  }
}

/**
 * A release no model covers (a digest, a site build's tag): the files are read as every modelled
 * release reads them. What all of them refuse is an error; what only some refuse depends on the
 * release, so it is a warning naming the release that refuses it, and the real Falco of the
 * monitor's verification Job decides. The answer is that of a release that accepts the files
 * (the newest that does), so its report and its verdict agree.
 */
function validateUnmodelled(files: readonly RuleFile[], options: ValidateOptions): RulesValidation {
  const asked = falcoProfile(options.falcoVersion);
  const byRelease = [...MODELLED_FALCO_VERSIONS]
    .reverse()
    .map((release) => ({ release, result: validateAsModelled(files, { ...options, falcoVersion: release }) }));
  const base = byRelease.find((r) => r.result.ok) ?? byRelease[0];
  if (base === undefined || !base.result.ok) {
    const newest = validateAsModelled(files, options);
    return newest;
  }
  const notes: string[] = [];
  const warnings: RuleDiagnostic[] = [];
  for (const { release, result } of byRelease) {
    if (result.ok) continue;
    const first = result.errors[0];
    const why = result.fatal ?? (first === undefined ? 'it refuses these rules' : `${first.code}: ${first.message}`);
    notes.push(`as Falco ${release} does (${why})`);
    for (const e of result.errors) warnings.push({ ...e, severity: 'warning', message: `Falco ${release} refuses this (${e.message}); Falco ${asked.falcoVersion} is not modelled, so its verification decides` });
  }
  return { ...base.result, warnings: [...base.result.warnings, ...warnings], falcoVersion: asked.falcoVersion, modelledFalcoVersion: undefined, versionNotes: [...base.result.versionNotes, ...notes] };
}

/** validateRuleFiles on the current thread (deep conditions throw DeepConditionError). */
export function validateRuleFilesInline(files: readonly RuleFile[], options: ValidateOptions = {}): RulesValidation {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const profile = falcoProfile(options.falcoVersion);
  // yaml-cpp skips a byte-order mark at the start (positions count from after it)
  const read = files.map((f) => (f.content.startsWith('\uFEFF') ? { name: f.name, content: f.content.slice(1) } : f));
  const { results: loaded, collector } = loadBundle(read, options.knownSources ?? ['syscall'], limits, {
    parseCache: options.parseCache ?? true,
    profile,
  });
  const pluginProblem = unmetPluginRequirement(collector.pluginRequirements, profile);
  const contents = new Map(files.map((f) => [f.name, f.content]));
  const results: FileValidation[] = loaded.map((res) => ({
    name: res.name,
    ok: res.successful,
    falcoResult: resultAsJson(res, contents),
    falcoText: resultAsText(res, contents),
  }));
  const { errors, warnings } = diagnosticsOf(results.map((r) => r.falcoResult));
  // An unmet plugin requirement stops Falco before any report: the whole set is unloadable there.
  // On a release no model covers, it is only a warning (the monitor's verification Job decides).
  const fatal = pluginProblem !== undefined && profile.modelled !== undefined ? pluginProblem : undefined;
  const pluginDiagnostic = (severity: 'error' | 'warning', message: string): RuleDiagnostic =>
    toDiagnostic(severity, { code: 'LOAD_ERR_VALIDATE', codedesc: '', context: { locations: [] }, message }, files[0]?.name ?? '');
  if (pluginProblem !== undefined) {
    if (fatal !== undefined) errors.push(pluginDiagnostic('error', fatal));
    else warnings.push(pluginDiagnostic('warning', `Falco ${profile.falcoVersion} is not modelled; it may refuse these rules: ${pluginProblem}`));
  }
  return {
    ok: results.every((r) => r.ok) && fatal === undefined,
    errors,
    warnings,
    counts: { rules: collector.rules.size, macros: collector.macros.size, lists: collector.lists.size },
    ruleNames: [...collector.rules.keys()],
    requiredEngineVersion: versionString(collector.requiredEngineVersion),
    requiredPluginVersions: collector.pluginRequirements,
    files: results,
    falcoVersion: profile.falcoVersion,
    modelledFalcoVersion: profile.modelled,
    ...(fatal !== undefined ? { fatal } : {}),
    versionNotes: pluginProblem !== undefined && profile.modelled === undefined ? [pluginProblem] : [],
  };
}

/**
 * Falco's check of `required_plugin_versions` against the loaded plugins, run once every file is
 * read (also after a failed file): each entry needs one of its alternatives loaded, and a loaded
 * one must be a compatible version. The first unmet entry gives Falco's message.
 */
export function unmetPluginRequirement(
  requirements: ReadonlyArray<ReadonlyArray<{ readonly name: string; readonly version: string }>>,
  profile: FalcoProfile,
): string | undefined {
  for (const alternatives of requirements) {
    let satisfied = false;
    for (const req of alternatives) {
      const plugin = profile.plugins.find((p) => p.name === req.name);
      if (plugin === undefined) continue;
      const have = parseSemver(plugin.version);
      const want = parseSemver(req.version);
      if (have === undefined || want === undefined || !compatibleWith(have, want)) {
        return `Plugin '${plugin.name}' version '${plugin.version}' is not compatible with required plugin version '${req.version}'`;
      }
      satisfied = true;
      break;
    }
    if (!satisfied) {
      const names = alternatives.map((a) => `${a.name} (>= ${a.version})`).join(', ');
      return `Plugin requirement not satisfied, must load one of: ${names}`;
    }
  }
  return undefined;
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
