import type { ErrorCode, WarningCode } from '../codes.ts';
import type { Context } from './context.ts';

/** One error or warning with its Falco context. */
export interface LoadEntry<C extends string> {
  readonly code: C;
  readonly message: string;
  readonly context: Context;
  /** Set on deprecated-field warnings (Falco adds `deprecated_field` to their JSON). */
  readonly deprecatedField?: string;
}

/**
 * The outcome of loading one rules file, as Falco's rule_loader::result holds it: the loader
 * stops at the first error, keeping the warnings gathered before it.
 */
export class LoadResult {
  readonly name: string;
  readonly errors: Array<LoadEntry<ErrorCode>> = [];
  readonly warnings: Array<LoadEntry<WarningCode>> = [];
  /** Schema validation statuses per YAML document ("ok" or failures); empty when not run. */
  schemaStatus: readonly string[] = [];

  constructor(name: string) {
    this.name = name;
  }

  get successful(): boolean {
    return this.errors.length === 0;
  }

  get schemaValid(): boolean {
    return this.schemaStatus[0] === 'ok';
  }

  addError(code: ErrorCode, message: string, context: Context): void {
    this.errors.push({ code, message, context });
  }

  addWarning(code: WarningCode, message: string, context: Context, deprecatedField?: string): void {
    this.warnings.push({
      code,
      message,
      context,
      ...(deprecatedField !== undefined ? { deprecatedField } : {}),
    });
  }
}

/**
 * A load failure thrown by the reader, collector and compiler; the stage that catches it records
 * it in the file's result and stops, like Falco's rule_load_exception.
 */
export class RuleLoadError extends Error {
  readonly code: ErrorCode;
  readonly context: Context;
  constructor(code: ErrorCode, message: string, context: Context) {
    super(message);
    this.code = code;
    this.context = context;
  }
}
