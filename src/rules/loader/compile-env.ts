import type { Expr } from '../condition/ast.ts';
import { ConditionSyntaxError, parseCondition } from '../condition/parser.ts';
import { expandedSize, MacroExpansionLimitError, resolveMacros } from '../condition/macros.ts';
import { substituteLists } from './compile-lists.ts';
import type { CompiledList, ListIndex } from './compile-lists.ts';
import { conditionContext } from './context.ts';
import type { Context } from './context.ts';
import { RuleLoadError } from './result.ts';
import type { LoadResult } from './result.ts';
import type { SourceRegistry } from './sources.ts';
import type { FalcoProfile } from '../falco-versions.ts';

export interface CompileLimits {
  readonly maxConditionDepth: number;
  readonly maxConditionLength: number;
  readonly maxExpandedNodes: number;
}

export interface CompiledMacro {
  readonly name: string;
  expr: Expr;
  used: boolean;
}

/** Shared state of one compile pass (Falco recompiles everything collected after each file). */
export interface CompileEnv {
  readonly res: LoadResult;
  readonly sources: SourceRegistry;
  readonly limits: CompileLimits;
  readonly profile: FalcoProfile;
  readonly lists: CompiledList[];
  readonly listIndex: ListIndex;
  readonly macros: Map<string, CompiledMacro>;
  /** Macro trees with no references left, so resolution can reuse them without a walk. */
  readonly closed: WeakSet<Expr>;
  /** Expanded sizes of shared subtrees. */
  readonly sizes: WeakMap<Expr, number>;
}

/** Substitutes lists, then parses; syntax errors point into the substituted text. */
export function parseWithLists(env: CompileEnv, condition: string, ctx: Context): Expr {
  const text = substituteLists(condition, env.lists, env.listIndex);
  if (text.length > env.limits.maxConditionLength) {
    throw new RuleLoadError(
      'LOAD_ERR_COMPILE_CONDITION',
      `condition is ${text.length} characters long after list expansion, above the limit of ${env.limits.maxConditionLength}`,
      ctx,
    );
  }
  try {
    return parseCondition(text, {
      maxDepth: env.limits.maxConditionDepth,
      deepFallback: true,
      transformerNames: env.profile.transformerNames,
    });
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    throw new RuleLoadError('LOAD_ERR_COMPILE_CONDITION', error.message, conditionContext(error.pos, text, ctx));
  }
}

/**
 * Resolves macro references; only macros with index below `visibility` are visible. Reports the
 * first loop, else the first unknown macro, at its position in `condition`.
 */
export function resolveVisibleMacros(
  env: CompileEnv,
  expr: Expr,
  visible: (macro: CompiledMacro) => boolean,
  condition: string,
  ctx: Context,
): Expr {
  const lookup = (name: string): Expr | undefined => {
    const macro = env.macros.get(name);
    return macro !== undefined && visible(macro) ? macro.expr : undefined;
  };
  let result;
  try {
    result = resolveMacros(expr, lookup, env.limits.maxExpandedNodes, env.closed);
  } catch (error) {
    if (error instanceof MacroExpansionLimitError) throw new RuleLoadError('LOAD_ERR_VALIDATE', error.message, ctx);
    throw error;
  }
  const problem = result.loops[0] ?? result.unknown[0];
  if (problem !== undefined) {
    const message = result.loops[0] !== undefined ? problem.message : `Undefined macro '${problem.message}' used in filter.`;
    throw new RuleLoadError('LOAD_ERR_VALIDATE', message, conditionContext(problem.pos, condition, ctx));
  }
  for (const name of result.resolved) {
    const macro = env.macros.get(name);
    if (macro) macro.used = true;
  }
  if (expandedSize(result.expr, env.sizes) > env.limits.maxExpandedNodes) {
    throw new RuleLoadError('LOAD_ERR_VALIDATE', new MacroExpansionLimitError(env.limits.maxExpandedNodes).message, ctx);
  }
  if (result.unknown.length === 0) env.closed.add(result.expr);
  return result.expr;
}
