import type { YMap } from './yaml-nodes.ts';
import { MESSAGES } from '../codes.ts';
import { childContext } from './context.ts';
import type { Context, ItemType } from './context.ts';
import { invalid, yamlCppUnsigned, UINT32_MAX } from './decode.ts';
import { readOverrides } from './read-overrides.ts';
import { readRule } from './read-rule.ts';
import type { RuleReadEnv } from './read-rule.ts';
import { parseSemver } from './semver.ts';
import { isMap, isSeq } from './yaml-view.ts';

const LIST_NAME = /^[^()"' \t\n\r\f\v=,]+$/;
const MACRO_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const ITEMS_ONLY = new Set(['items']);
const CONDITION_ONLY = new Set(['condition']);

/** The keys each kind of top-level item knows (Falco 0.44 warns about any other, once read). */
const KNOWN_KEYS = {
  required_engine_version: ['required_engine_version'],
  required_plugin_versions: ['required_plugin_versions'],
  list: ['list', 'items', 'append', 'override'],
  macro: ['macro', 'condition', 'append', 'override'],
  rule: [
    'rule', 'desc', 'condition', 'output', 'priority', 'source', 'enabled', 'tags', 'exceptions', 'append',
    'override', 'capture', 'capture_duration', 'warn_evttypes', 'skip-if-unknown-filter',
  ],
} as const;
type ItemKind = keyof typeof KNOWN_KEYS;
const ITEM_TYPES: Record<ItemKind, ItemType> = {
  required_engine_version: 'required_engine_version',
  required_plugin_versions: 'required plugin versions',
  list: 'list',
  macro: 'macro',
  rule: 'rule',
};
const KINDS = Object.keys(KNOWN_KEYS) as ItemKind[];

/** Dispatches one top-level item on the first key present, in Falco's order. */
export function readItem(env: RuleReadEnv, item: unknown, parent: Context): void {
  const { d } = env;
  if (!isMap(item)) {
    const ctx = childContext(parent, d.view.mark(item as never), 'rules content item');
    throw invalid('Unexpected element type. Each element should be a yaml associative array.', ctx);
  }
  const kind = KINDS.find((k) => d.view.has(item, k));
  if (kind === 'required_engine_version') readEngineVersion(env, item, parent);
  else if (kind === 'required_plugin_versions') readPluginVersions(env, item, parent);
  else if (kind === 'list') readList(env, item, parent);
  else if (kind === 'macro') readMacro(env, item, parent);
  else if (kind === 'rule') readRule(env, item, parent);
  else {
    const ctx = childContext(parent, d.view.mark(item), 'rules content item');
    env.res.addWarning('LOAD_UNKNOWN_ITEM', 'Unknown top level item', ctx);
  }
  if (kind !== undefined && env.unknownKeyWarnings === true) warnUnknownKeys(env, item, kind, parent);
}

/** LOAD_UNKNOWN_KEY for every key the item's kind does not know, in the item's key order. */
function warnUnknownKeys(env: RuleReadEnv, item: YMap, kind: ItemKind, parent: Context): void {
  const { view } = env.d;
  const known: readonly string[] = KNOWN_KEYS[kind];
  const name = kind === 'list' || kind === 'macro' || kind === 'rule' ? (view.scalar(view.get(item, kind)) ?? '') : '';
  const ctx = childContext(parent, view.mark(item), ITEM_TYPES[kind], name);
  for (const [key] of view.pairs(item)) {
    const k = view.scalar(key) ?? '';
    if (!known.includes(k)) env.res.addWarning('LOAD_UNKNOWN_KEY', `Unknown key '${k}'. The key will be ignored.`, ctx);
  }
}

function readEngineVersion(env: RuleReadEnv, item: YMap, parent: Context): void {
  const ctx = childContext(parent, env.d.view.mark(item), 'required_engine_version');
  const raw = env.d.required(item, 'required_engine_version', ctx);
  const minor = yamlCppUnsigned(raw, UINT32_MAX);
  const version = minor !== undefined ? { major: 0, minor, patch: 0 } : parseSemver(raw);
  if (version === undefined) {
    throw invalid(
      `Unable to parse engine version '${raw}' as a semver string. Expected "x.y.z" semver format.`,
      ctx,
    );
  }
  env.collector.requireEngine(version, ctx);
}

function readPluginVersions(env: RuleReadEnv, item: YMap, parent: Context): void {
  const { d } = env;
  const reqs = d.node(item, 'required_plugin_versions');
  const ctx = childContext(parent, d.view.mark(reqs), 'required plugin versions');
  if (reqs === null || reqs === undefined || !isSeq(reqs)) {
    throw invalid('Value of required_plugin_versions must be a sequence', ctx);
  }
  for (const plugin of d.view.items(reqs)) {
    const tmp = childContext(ctx, d.view.mark(plugin), 'required plugin versions entry');
    if (plugin === null || !isMap(plugin)) throw invalid('Plugin version must be a mapping', tmp);
    const name = d.required(plugin, 'name', tmp);
    const pctx = childContext(ctx, d.view.mark(plugin), 'required plugin versions entry', name);
    const alternatives = [{ name, version: d.required(plugin, 'version', pctx) }];
    const alts = d.node(plugin, 'alternatives');
    if (alts !== undefined) {
      if (alts === null || !isSeq(alts)) throw invalid('Value of plugin version alternatives must be a sequence', pctx);
      for (const alt of d.view.items(alts)) {
        const atmp = childContext(pctx, d.view.mark(alt), 'required plugin versions alternative');
        if (alt === null || !isMap(alt)) throw invalid('Plugin version alternative must be a mapping', atmp);
        const altName = d.required(alt, 'name', atmp);
        const actx = childContext(pctx, d.view.mark(alt), 'required plugin versions alternative', altName);
        alternatives.push({ name: altName, version: d.required(alt, 'version', actx) });
      }
    }
    env.collector.requirePlugins(alternatives, pctx);
  }
}

function readList(env: RuleReadEnv, item: YMap, parent: Context): void {
  const { d, res } = env;
  const name = d.required(item, 'list', childContext(parent, d.view.mark(item), 'list'));
  const ctx = childContext(parent, d.view.mark(item), 'list', name);
  if (!LIST_NAME.test(name)) {
    res.addWarning(
      'LOAD_INVALID_LIST_NAME',
      'List has an invalid name. List names should match a regular expression: ([^()"\'[:space:]=,]+)',
      ctx,
    );
  }
  const items = d.sequence(item, 'items', ctx, false) ?? [];
  const appendFlag = d.bool(item, 'append', ctx) ?? false;
  if (appendFlag) res.addWarning('LOAD_DEPRECATED_ITEM', MESSAGES.warningAppend, ctx);
  const overrides = readOverrides(d, item, ctx, ITEMS_ONLY, ITEMS_ONLY);
  if (appendFlag && (overrides.append.size > 0 || overrides.replace.size > 0)) {
    throw invalid(MESSAGES.errorOverrideAppend, ctx);
  }
  const list = { ctx, name, items, index: 0, visibility: 0 };
  if (appendFlag || overrides.append.has('items')) env.collector.appendList(list);
  else env.collector.defineList(list);
}

function readMacro(env: RuleReadEnv, item: YMap, parent: Context): void {
  const { d, res } = env;
  const name = d.required(item, 'macro', childContext(parent, d.view.mark(item), 'macro'));
  const ctx = childContext(parent, d.view.mark(item), 'macro', name);
  if (!MACRO_NAME.test(name)) {
    res.addWarning(
      'LOAD_INVALID_MACRO_NAME',
      'Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)',
      ctx,
    );
  }
  const cond = d.required(item, 'condition', ctx);
  const condCtx = childContext(ctx, d.view.mark(d.node(item, 'condition')), 'macro condition');
  const appendFlag = d.bool(item, 'append', ctx) ?? false;
  if (appendFlag) res.addWarning('LOAD_DEPRECATED_ITEM', MESSAGES.warningAppend, ctx);
  const overrides = readOverrides(d, item, ctx, CONDITION_ONLY, CONDITION_ONLY);
  if (appendFlag && (overrides.append.size > 0 || overrides.replace.size > 0)) {
    throw invalid(MESSAGES.errorOverrideAppend, ctx);
  }
  const macro = { ctx, condCtx, name, cond, index: 0, visibility: 0 };
  if (appendFlag || overrides.append.has('condition')) env.collector.appendMacro(macro);
  else env.collector.defineMacro(macro);
}
