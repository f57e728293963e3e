import { MESSAGES } from '../codes.ts';
import { falcoProfile } from '../falco-versions.ts';
import type { FalcoProfile } from '../falco-versions.ts';
import type { Context } from './context.ts';
import { validateExceptionShape } from './exception-shape.ts';
import { hasAnyValue, isEntryValid } from './items.ts';
import type { ListInfo, MacroInfo, PluginRequirement, RuleInfo, RuleUpdateInfo } from './items.ts';
import { RuleLoadError } from './result.ts';
import type { LoadResult } from './result.ts';
import { compareVersions, compatibleWith, parseSemver, versionString } from './semver.ts';
import type { Version } from './semver.ts';
import type { SourceRegistry } from './sources.ts';

const fail = (message: string, ctx: Context): RuleLoadError => new RuleLoadError('LOAD_ERR_VALIDATE', message, ctx);

/**
 * Gathers definitions across files in order, applying appends and overrides (Falco's
 * rule_loader::collector). It is never cleared between files, so later files see, extend and
 * replace what earlier files defined.
 */
export class Collector {
  readonly lists = new Map<string, ListInfo>();
  readonly macros = new Map<string, MacroInfo>();
  readonly rules = new Map<string, RuleInfo>();
  readonly pluginRequirements: PluginRequirement[][] = [];
  requiredEngineVersion: Version = { major: 0, minor: 0, patch: 0 };
  /** The result of the file being read; warnings go there. */
  res: LoadResult;
  private readonly sources: SourceRegistry;
  private index = 0;
  /** The modelled Falco release. */
  readonly profile: FalcoProfile;
  /** The rules engine version of the modelled Falco. */
  readonly engineVersion: Version;

  constructor(sources: SourceRegistry, res: LoadResult, profile: FalcoProfile = falcoProfile()) {
    this.sources = sources;
    this.res = res;
    this.profile = profile;
    this.engineVersion = profile.engineVersion;
  }

  requireEngine(version: Version, ctx: Context): void {
    if (!compatibleWith(this.engineVersion, version)) {
      throw fail(
        `Rules require engine version ${versionString(version)}, but engine version is ${versionString(this.engineVersion)}`,
        ctx,
      );
    }
    if (compareVersions(this.requiredEngineVersion, version) < 0) this.requiredEngineVersion = version;
  }

  requirePlugins(alternatives: PluginRequirement[], ctx: Context): void {
    const seen = new Set<string>();
    for (const req of alternatives) {
      if (parseSemver(req.version) === undefined) {
        throw fail(`Invalid required version '${req.version}' for plugin '${req.name}'`, ctx);
      }
      if (seen.has(req.name)) throw fail(`Defined multiple alternative version requirements for plugin '${req.name}'`, ctx);
      seen.add(req.name);
    }
    this.pluginRequirements.push(alternatives);
  }

  private define<T extends { name: string; index: number; visibility: number }>(map: Map<string, T>, info: T): void {
    const id = this.index++;
    const prev = map.get(info.name);
    info.index = prev?.index ?? id;
    info.visibility = id;
    // Replacing the value keeps the key's original position, like Falco's indexed_vector.
    map.set(info.name, info);
  }

  defineList(info: ListInfo): void {
    this.define(this.lists, info);
  }

  appendList(info: ListInfo): void {
    const prev = this.lists.get(info.name);
    if (prev === undefined) throw fail(MESSAGES.errorNoPreviousList, info.ctx);
    prev.items.push(...info.items);
    prev.visibility = this.index++;
  }

  defineMacro(info: MacroInfo): void {
    this.define(this.macros, info);
  }

  appendMacro(info: MacroInfo): void {
    const prev = this.macros.get(info.name);
    if (prev === undefined) throw fail(MESSAGES.errorNoPreviousMacro, info.ctx);
    prev.cond += ` ${info.cond}`;
    prev.visibility = this.index++;
  }

  private previousRule(name: string, source: string, ctx: Context): RuleInfo | undefined {
    const prev = this.rules.get(name);
    if (prev !== undefined && prev.source !== '' && source !== '' && prev.source !== source) {
      throw fail('Rule has been re-defined with a different source', ctx);
    }
    return prev;
  }

  defineRule(info: RuleInfo): void {
    this.previousRule(info.name, info.source, info.ctx);
    const source = this.sources.get(info.source);
    if (source === undefined) {
      info.unknownSource = true;
      this.res.addWarning('LOAD_UNKNOWN_SOURCE', `Unknown source ${info.source}, skipping`, info.ctx);
    }
    for (const ex of info.exceptions) {
      if (!isEntryValid(ex.fields)) {
        throw fail('Rule exception item must have fields property with a list of fields', ex.ctx);
      }
      validateExceptionShape(source, ex, this.profile.oneofComparisons);
    }
    this.define(this.rules, info);
  }

  appendRule(u: RuleUpdateInfo): void {
    const prev = this.previousRule(u.name, u.source, u.ctx);
    if (prev === undefined) throw fail(MESSAGES.errorNoPreviousRuleAppend, u.ctx);
    if (!hasAnyValue(u)) throw fail('Appended rule must have exceptions or condition property', u.ctx);
    const source = prev.unknownSource ? undefined : this.sources.get(prev.source);
    if (u.cond !== undefined && u.cond !== '') prev.cond += ` ${u.cond}`;
    if (u.output !== undefined && u.output !== '') prev.output += ` ${u.output}`;
    if (u.desc !== undefined && u.desc !== '') prev.desc += ` ${u.desc}`;
    for (const tag of u.tags ?? []) prev.tags.add(tag);
    for (const ex of u.exceptions ?? []) {
      const existing = prev.exceptions.find((e) => e.name === ex.name);
      if (existing === undefined) {
        if (!isEntryValid(ex.fields)) throw fail('Rule exception must have fields property with a list of fields', ex.ctx);
        if (ex.values.length === 0) throw fail('Rule exception must have values property with a list of values', ex.ctx);
        validateExceptionShape(source, ex, this.profile.oneofComparisons);
        prev.exceptions.push(ex);
      } else {
        if (isEntryValid(ex.fields)) throw fail('Can not append exception fields to existing exception, only values', ex.ctx);
        if (isEntryValid(ex.comps)) throw fail('Can not append exception comps to existing exception, only values', ex.ctx);
        existing.values.push(...ex.values);
      }
    }
    prev.visibility = this.index++;
  }

  replaceRule(u: RuleUpdateInfo): void {
    const prev = this.previousRule(u.name, u.source, u.ctx);
    if (prev === undefined) throw fail(MESSAGES.errorNoPreviousRuleReplace, u.ctx);
    if (!hasAnyValue(u)) throw fail('The rule must have at least one field that can be replaced', u.ctx);
    if (u.cond !== undefined) prev.cond = u.cond;
    if (u.output !== undefined) prev.output = u.output;
    if (u.desc !== undefined) prev.desc = u.desc;
    if (u.tags !== undefined) prev.tags = u.tags;
    if (u.exceptions !== undefined) prev.exceptions = u.exceptions;
    if (u.priority !== undefined) prev.priority = u.priority;
    if (u.capture !== undefined) prev.capture = u.capture;
    if (u.captureDuration !== undefined) prev.captureDuration = u.captureDuration;
    if (u.enabled !== undefined) prev.enabled = u.enabled;
    if (u.warnEvttypes !== undefined) prev.warnEvttypes = u.warnEvttypes;
    if (u.skipIfUnknownFilter !== undefined) prev.skipIfUnknownFilter = u.skipIfUnknownFilter;
    prev.visibility = this.index++;
  }

  enableRule(name: string, enabled: boolean, ctx: Context): void {
    const prev = this.rules.get(name);
    if (prev === undefined) throw fail("Rule has 'enabled' key but no rule by that name already exists", ctx);
    prev.enabled = enabled;
  }
}
