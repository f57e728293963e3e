import type { YMap } from './yaml-nodes.ts';
import { MESSAGES } from '../codes.ts';
import type { Collector } from './collector.ts';
import { childContext } from './context.ts';
import type { Context } from './context.ts';
import { invalid } from './decode.ts';
import type { Decoder } from './decode.ts';
import { parsePriority } from './items.ts';
import type { RuleInfo, RuleUpdateInfo } from './items.ts';
import { readExceptions } from './read-exceptions.ts';
import { readOverrides } from './read-overrides.ts';
import type { LoadResult } from './result.ts';

const APPENDABLE = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
const REPLACEABLE = new Set([
  'condition', 'output', 'desc', 'priority', 'capture', 'capture_duration', 'tags', 'exceptions',
  'enabled', 'warn_evttypes', 'skip-if-unknown-filter',
]);
/** The order in which Falco reads overridden keys (it matters for which error shows first). */
const UPDATE_ORDER = [
  'condition', 'exceptions', 'output', 'desc', 'tags', 'priority', 'capture', 'capture_duration',
  'enabled', 'warn_evttypes', 'skip-if-unknown-filter',
];

export interface RuleReadEnv {
  readonly d: Decoder;
  readonly res: LoadResult;
  readonly collector: Collector;
  /** Warn about unknown keys of top-level items (LOAD_UNKNOWN_KEY, Falco 0.44+). */
  readonly unknownKeyWarnings?: boolean;
}

/** Reads a `rule` item: a definition, an override, a legacy append, or an `enabled` toggle. */
export function readRule(env: RuleReadEnv, item: YMap, parent: Context): void {
  const { d, res } = env;
  const tmp = childContext(parent, d.view.mark(item), 'rule');
  const name = d.required(item, 'rule', tmp);
  const ctx = childContext(parent, d.view.mark(item), 'rule', name);
  const source = d.string(item, 'source', ctx, { optional: true, canBeEmpty: true }) ?? '';
  const appendFlag = d.bool(item, 'append', ctx) ?? false;
  if (appendFlag) res.addWarning('LOAD_DEPRECATED_ITEM', MESSAGES.warningAppend, ctx);
  const overrides = readOverrides(d, item, ctx, APPENDABLE, REPLACEABLE);
  const hasOverrides = overrides.append.size > 0 || overrides.replace.size > 0;
  if (appendFlag && hasOverrides) throw invalid(MESSAGES.errorOverrideAppend, ctx);
  if (hasOverrides) {
    readOverrideItem(env, item, ctx, name, source, overrides);
  } else if (appendFlag) {
    readLegacyAppend(env, item, ctx, name, source);
  } else {
    readDefinition(env, item, ctx, name);
  }
}

function readOverrideItem(
  env: RuleReadEnv,
  item: YMap,
  ctx: Context,
  name: string,
  source: string,
  overrides: { append: Set<string>; replace: Set<string> },
): void {
  const { d } = env;
  const expected = new Set([...APPENDABLE, ...REPLACEABLE].filter((k) => d.view.has(item, k)));
  for (const [op, keys] of [['append', overrides.append], ['replace', overrides.replace]] as const) {
    if (keys.size === 0) continue;
    const update: RuleUpdateInfo = { ctx, name, source: '' };
    for (const key of UPDATE_ORDER) {
      if (!keys.has(key)) continue;
      if (!expected.has(key)) {
        throw invalid(`An ${op} override for '${key}' was specified but '${key}' is not defined`, ctx);
      }
      expected.delete(key);
      readUpdateKey(env, item, ctx, key, op === 'append', update, source);
    }
    if (op === 'append') env.collector.appendRule(update);
    else env.collector.replaceRule(update);
  }
  for (const key of expected) {
    const keyCtx = childContext(ctx, d.view.mark(d.node(item, key)), 'overrides', key);
    throw invalid(`Unexpected key '${key}': no corresponding entry under 'override' is defined.`, keyCtx);
  }
}

function readUpdateKey(
  env: RuleReadEnv,
  item: YMap,
  ctx: Context,
  key: string,
  append: boolean,
  u: RuleUpdateInfo,
  source: string,
): void {
  const { d } = env;
  switch (key) {
    case 'condition':
      u.source = source;
      u.cond = d.required(item, 'condition', ctx);
      return;
    case 'exceptions':
      u.exceptions = readExceptions(d, env.res, item, ctx, append) ?? [];
      return;
    case 'output': u.output = d.required(item, 'output', ctx); return;
    case 'desc': u.desc = d.required(item, 'desc', ctx); return;
    case 'tags': u.tags = new Set(d.sequence(item, 'tags', ctx, true) ?? []); return;
    case 'priority': u.priority = readPriority(d, item, ctx); return;
    case 'capture': u.capture = d.bool(item, 'capture', ctx, false) ?? false; return;
    case 'capture_duration': u.captureDuration = d.unsigned(item, 'capture_duration', ctx, false) ?? 0; return;
    case 'enabled': u.enabled = d.bool(item, 'enabled', ctx, false) ?? true; return;
    case 'warn_evttypes': u.warnEvttypes = d.bool(item, 'warn_evttypes', ctx, false) ?? true; return;
    case 'skip-if-unknown-filter':
      u.skipIfUnknownFilter = d.bool(item, 'skip-if-unknown-filter', ctx, false) ?? false;
      return;
  }
}

function readPriority(d: Decoder, item: YMap, ctx: Context): number {
  const value = d.required(item, 'priority', ctx);
  const priority = parsePriority(value);
  if (priority === undefined) {
    throw invalid('Invalid priority', childContext(ctx, d.view.mark(d.node(item, 'priority')), 'rule priority'));
  }
  return priority;
}

function readLegacyAppend(env: RuleReadEnv, item: YMap, ctx: Context, name: string, source: string): void {
  const { d } = env;
  const update: RuleUpdateInfo = { ctx, name, source };
  if (d.view.has(item, 'condition')) update.cond = d.required(item, 'condition', ctx);
  if (d.view.has(item, 'exceptions')) update.exceptions = readExceptions(d, env.res, item, ctx, true) ?? [];
  env.collector.appendRule(update);
}

function readDefinition(env: RuleReadEnv, item: YMap, ctx: Context, name: string): void {
  const { d, res } = env;
  const defines = ['condition', 'output', 'desc', 'priority'].some((k) => d.view.has(item, k));
  if (!defines) {
    const enabled = d.bool(item, 'enabled', ctx, false) ?? true;
    res.addWarning('LOAD_DEPRECATED_ITEM', MESSAGES.warningEnabled, ctx);
    env.collector.enableRule(name, enabled, ctx);
    return;
  }
  const cond = d.required(item, 'condition', ctx);
  const condCtx = childContext(ctx, d.view.mark(d.node(item, 'condition')), 'rule condition');
  const output = d.required(item, 'output', ctx);
  const outputCtx = childContext(ctx, d.view.mark(d.node(item, 'output')), 'rule output');
  const desc = d.required(item, 'desc', ctx);
  const priority = readPriority(d, item, ctx);
  const rule: RuleInfo = {
    ctx, condCtx, outputCtx, index: 0, visibility: 0, unknownSource: false, name, cond, desc,
    output: output.trim(),
    source: d.string(item, 'source', ctx, { optional: true }) ?? 'syscall',
    priority,
    enabled: d.bool(item, 'enabled', ctx) ?? true,
    capture: d.bool(item, 'capture', ctx) ?? false,
    captureDuration: d.unsigned(item, 'capture_duration', ctx) ?? 0,
    warnEvttypes: d.bool(item, 'warn_evttypes', ctx) ?? true,
    skipIfUnknownFilter: d.bool(item, 'skip-if-unknown-filter', ctx) ?? false,
    tags: new Set(d.sequence(item, 'tags', ctx, true) ?? []),
    exceptions: [],
  };
  rule.exceptions = readExceptions(d, res, item, ctx, false) ?? [];
  env.collector.defineRule(rule);
}
