import { ALL_OPERATORS } from '../condition/ast.ts';
import { parseCondition } from '../condition/parser.ts';
import { compileFilter } from '../condition/compile.ts';
import { FieldError } from '../fields/catalog.ts';
import { fileContext, fileName } from './context.ts';
import type { ExceptionInfo } from './items.ts';
import { isEntryValid } from './items.ts';
import { RuleLoadError } from './result.ts';
import type { KnownSource } from './sources.ts';

/** Operators Falco 0.44 accepts with the `oneof` modifier in exceptions (measured on 0.44.1). */
const ONEOF_OPERATORS = ['=', '==', '!=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex'];

/** `startswith` for `startswith oneof` (one blank between), else undefined. */
export function oneofBase(comp: string): string | undefined {
  const m = /^(\S+) oneof$/.exec(comp);
  return m?.[1] !== undefined && ONEOF_OPERATORS.includes(m[1]) ? m[1] : undefined;
}

const fail = (message: string, ex: ExceptionInfo): RuleLoadError =>
  new RuleLoadError('LOAD_ERR_VALIDATE', message, ex.ctx);

/**
 * Checks an exception's fields and comps (validate_exception_info in the collector), filling in
 * the default comps: `=` per field for the list form, `in` for the single-field form.
 */
export function validateExceptionShape(source: KnownSource | undefined, ex: ExceptionInfo, oneof = false): void {
  const supported = (op: string): boolean => ALL_OPERATORS.includes(op) || (oneof && oneofBase(op) !== undefined);
  if (ex.fields.isList) {
    if (!isEntryValid(ex.comps)) {
      ex.comps = { isList: true, item: '', items: ex.fields.items.map(() => ({ isList: false, item: '=', items: [] })) };
    }
    if (ex.fields.items.length !== ex.comps.items.length) throw fail('Fields and comps lists must have equal length', ex);
    for (const comp of ex.comps.items) {
      if (!supported(comp.item)) throw fail(`'${comp.item}' is not a supported comparison operator`, ex);
    }
    for (const field of ex.fields.items) {
      if (!isValidLhsField(source, field.item, ex)) throw fail(`'${field.item}' is not a supported filter field`, ex);
    }
    return;
  }
  if (!isEntryValid(ex.comps)) ex.comps = { isList: false, item: 'in', items: [] };
  if (ex.comps.isList) throw fail('Fields and comps must both be strings', ex);
  if (!['in', 'pmatch', 'intersects'].includes(ex.comps.item) && !(oneof && oneofBase(ex.comps.item) !== undefined)) {
    throw fail(
      oneof
        ? 'When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)'
        : 'When fields is a single value, comps must be one of (in, pmatch, intersects)',
      ex,
    );
  }
  if (!isValidLhsField(source, ex.fields.item, ex)) throw fail(`'${ex.fields.item}' is not a supported filter field`, ex);
}

/**
 * falco_source::is_valid_lhs_field: with a parenthesis, the field must compile as `<f> exists`;
 * otherwise it must name a field. Lookup errors escape to the reader's catch-all.
 */
function isValidLhsField(source: KnownSource | undefined, field: string, ex: ExceptionInfo): boolean {
  const fields = source?.fields;
  if (fields === undefined) return true;
  if (field.includes('(')) {
    try {
      compileFilter(parseCondition(`${field} exists`), fields);
      return true;
    } catch {
      return false;
    }
  }
  try {
    return fields.resolve(field) !== null;
  } catch (error) {
    if (error instanceof FieldError) {
      throw new RuleLoadError('LOAD_ERR_VALIDATE', error.message, fileContext(fileName(ex.ctx)));
    }
    throw error;
  }
}
