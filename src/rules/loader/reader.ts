import type { FalcoProfile } from '../falco-versions.ts';
import type { Collector } from './collector.ts';
import { childContext, fileContext } from './context.ts';
import type { Context } from './context.ts';
import { Decoder, invalid } from './decode.ts';
import { readItem } from './read-items.ts';
import { RuleLoadError } from './result.ts';
import type { LoadResult } from './result.ts';
import { SchemaDepthError, schemaStatus } from './schema.ts';
import { lineStarts, parseYaml, parseYamlCached, YamlLimitError, YamlView, isMap, isSeq } from './yaml-view.ts';
import { yamlDepthError } from './yaml-depth.ts';
import { isSimpleDocument } from './yaml-simple.ts';
import type { YDocument } from './yaml-nodes.ts';
import { directiveError, longKeyError, nulEscapeError, nonScalarKeyError, undefinedAliasError, yamlCppError } from './yaml-errors.ts';

export interface ReadLimits {
  readonly maxFileBytes: number;
  readonly maxAliases: number;
  readonly maxYamlDepth: number;
}

export interface ReadOptions {
  /** Reuse the parse of a content seen recently (default true). */
  readonly parseCache?: boolean;
  /** The Falco release modelled (default: falcoProfile()'s). */
  readonly profile?: FalcoProfile;
}

/**
 * Reads one rules file into the collector (rule_loader::reader::read): YAML errors, schema
 * status, then every item of every document in order, stopping at the first error.
 */
export function readRulesFile(
  content: string,
  name: string,
  collector: Collector,
  res: LoadResult,
  limits: ReadLimits,
  options: ReadOptions = {},
): boolean {
  const ctx = fileContext(name);
  if (content.length > limits.maxFileBytes) {
    res.addError(
      'LOAD_ERR_YAML_PARSE',
      `rules content is ${content.length} bytes, above the limit of ${limits.maxFileBytes} bytes`,
      ctx,
    );
    return false;
  }
  const starts = lineStarts(content);
  const budget = { remaining: limits.maxAliases };
  // before composing documents: a depth yaml-cpp refuses could overflow the composer's stack
  const depthError = yamlDepthError(content);
  if (depthError !== undefined) {
    const view = new YamlView(starts, undefined, budget, content);
    res.addError('LOAD_ERR_YAML_PARSE', depthError.message, childContext(ctx, view.markAt(depthError.offset), 'value for'));
    return false;
  }
  let docs: YDocument[];
  try {
    docs = (options.parseCache === false ? parseYaml(content) : parseYamlCached(content)).docs;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    res.addError('LOAD_ERR_YAML_PARSE', 'rules content nests too deeply to be parsed', ctx);
    return false;
  }
  // yaml-cpp takes content right after a %YAML directive without a '---' line
  const isHard = (e: { message: string }): boolean => !e.message.startsWith('Missing directives-end');
  const failed = docs.find((d) => d.errors.some(isHard));
  const firstError = failed?.errors.find(isHard);
  const libError = firstError === undefined ? undefined : yamlCppError(content, firstError);
  // errors yaml-cpp raises while parsing that the `yaml` package lets through; the earlier one wins
  // documents the simple reader made have no aliases and no collections as keys (yaml-simple.ts)
  const simple = docs.every(isSimpleDocument);
  const cppError = directiveError(content) ?? (simple ? undefined : undefinedAliasError(content, docs)) ?? longKeyError(content, docs);
  const earlier = libError === undefined || (cppError !== undefined && cppError.offset < libError.offset) ? cppError : libError;
  const nulError = nulEscapeError(content, docs);
  const parseError = earlier === undefined || (nulError !== undefined && nulError.offset < earlier.offset) ? nulError : earlier;
  if (parseError !== undefined) {
    const view = new YamlView(starts, undefined, budget, content);
    res.addError('LOAD_ERR_YAML_PARSE', parseError.message, childContext(ctx, view.markAt(parseError.offset), 'value for'));
    return false;
  }
  const conversion = simple ? undefined : nonScalarKeyError(content, docs);
  if (conversion !== undefined) {
    // thrown by yaml-cpp's string conversion of the key (schema check); Falco reports the file only
    res.addError('LOAD_ERR_YAML_PARSE', conversion.message, ctx);
    return false;
  }
  try {
    const views = docs.map((doc) => new YamlView(starts, doc, budget, content));
    res.schemaStatus = docs.flatMap((doc, i) => schemaStatus(views[i] as YamlView, (views[i] as YamlView).resolve(doc.contents), limits.maxYamlDepth, options.profile?.wideOverrideSchema ?? false));
    const unknownKeyWarnings = options.profile?.unknownKeyWarnings ?? false;
    docs.forEach((doc, i) => readDocument(views[i] as YamlView, doc, collector, res, ctx, unknownKeyWarnings));
  } catch (error) {
    if (error instanceof RuleLoadError) {
      res.addError(error.code, error.message, error.context);
      return false;
    }
    if (error instanceof YamlLimitError || error instanceof SchemaDepthError) {
      res.addError('LOAD_ERR_YAML_PARSE', error.message, ctx);
      return false;
    }
    throw error;
  }
  return true;
}

function readDocument(
  view: YamlView,
  doc: YDocument,
  collector: Collector,
  res: LoadResult,
  ctx: Context,
  unknownKeyWarnings: boolean,
): void {
  const root = view.resolve(doc.contents);
  if (root === null || view.isNull(root)) return;
  if (!isMap(root) && !isSeq(root)) throw invalid('Rules content is not yaml', ctx);
  if (!isSeq(root)) throw invalid('Rules content is not yaml array of objects', ctx);
  const env = { d: new Decoder(view), res, collector, unknownKeyWarnings };
  for (const item of view.items(root)) {
    if (item === null || view.isNull(item)) continue;
    readItem(env, item, ctx);
  }
}
