import { DEPRECATED_FIELDS } from '../codes.ts';
import type { Expr } from '../condition/ast.ts';
import { compileFilter, FilterCompileError } from '../condition/compile.ts';
import { eventCodeCount } from '../condition/evttypes.ts';
import { conditionWarnings } from '../condition/warnings.ts';
import { conditionWithExceptions } from './compile-exceptions.ts';
import { outputFormatError } from './compile-output.ts';
import { parseWithLists, resolveVisibleMacros } from './compile-env.ts';
import type { CompileEnv } from './compile-env.ts';
import { conditionContext } from './context.ts';
import type { RuleInfo } from './items.ts';
import { RuleLoadError } from './result.ts';

const CONTAINER_INFO = '%container.info';
const CONTAINER_INFO_WARNING =
  '%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. ' +
  'The container plugin will automatically add required fields to the output message.';

/** Errors that `skip-if-unknown-filter: true` turns into LOAD_UNKNOWN_FILTER warnings. */
const isUnknownFieldError = (message: string): boolean =>
  ['nonexistent field', 'invalid formatting token', 'unknown event type'].some((s) => message.includes(s));

/**
 * Compiles one rule as compile_rule_infos does: exceptions into the condition, the output
 * format, then the condition (lists, macros, warnings, fields), then the event-type check.
 * Returns the compiled condition, or undefined when the rule is skipped.
 */
export function compileRule(env: CompileEnv, r: RuleInfo): Expr | undefined {
  if (r.unknownSource) return undefined;
  const fields = env.sources.get(r.source)?.fields;
  const condition = r.exceptions.length > 0 ? conditionWithExceptions(r.cond, r.exceptions) : r.cond;
  let output = r.output;
  if (output.includes(CONTAINER_INFO)) {
    env.res.addWarning('LOAD_DEPRECATED_ITEM', CONTAINER_INFO_WARNING, r.ctx);
    output = output.split(CONTAINER_INFO).join('');
  }
  // the container plugin (0.4) appends its fields to syscall outputs; errors quote the whole text
  const checked = r.source === 'syscall' ? output + env.profile.syscallOutputSuffix : output;
  const outputError = fields === undefined ? undefined : outputFormatError(checked, fields);
  if (outputError !== undefined) {
    const message = env.profile.outputErrorMessage ?? outputError;
    // 0.44.1 words every output error "unknown filter: …", and skip-if-unknown-filter skips them all (measured)
    if (r.skipIfUnknownFilter && (isUnknownFieldError(outputError) || env.profile.outputErrorMessage !== undefined)) {
      env.res.addWarning('LOAD_UNKNOWN_FILTER', message, r.outputCtx);
      return undefined;
    }
    throw new RuleLoadError('LOAD_ERR_COMPILE_OUTPUT', message, r.outputCtx);
  }
  for (const field of Object.keys(DEPRECATED_FIELDS)) {
    if (output.includes(field)) {
      env.res.addWarning(
        'LOAD_DEPRECATED_ITEM',
        `usage of deprecated field '${field}' has been detected in the rule output`,
        r.outputCtx,
        field,
      );
    }
  }
  return compileRuleCondition(env, r, condition);
}

function compileRuleCondition(env: CompileEnv, r: RuleInfo, condition: string): Expr | undefined {
  const parsed = parseWithLists(env, condition, r.condCtx);
  const expr = resolveVisibleMacros(env, parsed, () => true, condition, r.ctx);
  const found = conditionWarnings(expr);
  if (found.unsafeNaCheck) env.res.addWarning('LOAD_UNSAFE_NA_CHECK', '', r.condCtx);
  for (const field of found.deprecatedFields) {
    env.res.addWarning('LOAD_DEPRECATED_ITEM', DEPRECATED_FIELDS[field] ?? '', r.condCtx, field);
  }
  const fields = env.sources.get(r.source)?.fields;
  if (fields !== undefined) {
    let warnings;
    try {
      warnings = compileFilter(expr, fields);
    } catch (error) {
      if (!(error instanceof FilterCompileError)) throw error;
      const ctx = conditionContext(error.pos, condition, r.condCtx);
      if (r.skipIfUnknownFilter && isUnknownFieldError(error.message)) {
        env.res.addWarning('LOAD_UNKNOWN_FILTER', error.message, ctx);
        return undefined;
      }
      throw new RuleLoadError('LOAD_ERR_COMPILE_CONDITION', error.message, ctx);
    }
    for (const w of warnings) {
      env.res.addWarning('LOAD_COMPILE_CONDITION', w.message, conditionContext(w.pos, condition, r.condCtx));
    }
  }
  if (r.source === 'syscall' && r.warnEvttypes) {
    const count = eventCodeCount(expr);
    if (count === 0 || count > 100) {
      env.res.addWarning(
        'LOAD_NO_EVTTYPE',
        'Rule matches too many evt.type values. This has a significant performance penalty.',
        r.ctx,
      );
    }
  }
  return expr;
}
