import type { Expr } from '../condition/ast.ts';
import type { Collector } from './collector.ts';
import { compileLists, indexLists } from './compile-lists.ts';
import type { CompiledList } from './compile-lists.ts';
import { parseWithLists, resolveVisibleMacros } from './compile-env.ts';
import type { CompiledMacro, CompileEnv, CompileLimits } from './compile-env.ts';
import { compileRule } from './compile-rule.ts';
import type { MacroInfo } from './items.ts';
import { RuleLoadError } from './result.ts';
import type { LoadResult } from './result.ts';
import type { SourceRegistry } from './sources.ts';

export interface CompiledRule {
  readonly name: string;
  /** The condition with exceptions, lists and macros folded in. */
  readonly expr: Expr;
}

export interface CompileOutput {
  readonly lists: CompiledList[];
  readonly macros: CompiledMacro[];
  readonly rules: CompiledRule[];
}

/**
 * Compiles everything collected so far (rule_loader::compiler::compile): lists, then macros,
 * then rules; the first error stops it; unused macros and lists are reported at the end.
 */
export function compileAll(
  collector: Collector,
  res: LoadResult,
  sources: SourceRegistry,
  limits: CompileLimits,
): CompileOutput | undefined {
  const lists = compileLists(collector.lists);
  const env: CompileEnv = {
    res, sources, limits, profile: collector.profile, lists, listIndex: indexLists(lists), macros: new Map(), closed: new WeakSet(), sizes: new WeakMap(),
  };
  const rules: CompiledRule[] = [];
  try {
    compileMacros(env, collector.macros);
    for (const rule of collector.rules.values()) {
      const expr = compileRule(env, rule);
      if (expr !== undefined) rules.push({ name: rule.name, expr });
    }
  } catch (error) {
    if (!(error instanceof RuleLoadError)) throw error;
    res.addError(error.code, error.message, error.context);
    return undefined;
  }
  for (const macro of env.macros.values()) {
    const info = collector.macros.get(macro.name);
    if (!macro.used && info) res.addWarning('LOAD_UNUSED_MACRO', 'Macro not referred to by any other rule/macro', info.ctx);
  }
  for (const list of env.lists) {
    const info = collector.lists.get(list.name);
    if (!list.used && info) res.addWarning('LOAD_UNUSED_LIST', 'List not referred to by any other rule/macro', info.ctx);
  }
  return { lists: env.lists, macros: [...env.macros.values()], rules };
}

function compileMacros(env: CompileEnv, infos: ReadonlyMap<string, MacroInfo>): void {
  for (const info of infos.values()) {
    env.macros.set(info.name, { name: info.name, expr: parseWithLists(env, info.cond, info.condCtx), used: false });
  }
  for (const info of infos.values()) {
    const macro = env.macros.get(info.name);
    if (macro === undefined) continue;
    const visible = (m: CompiledMacro): boolean => (infos.get(m.name)?.index ?? Infinity) < info.visibility;
    macro.expr = resolveVisibleMacros(env, macro.expr, visible, info.cond, info.ctx);
  }
}
