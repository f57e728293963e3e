import { LIST_OPERATORS } from '../condition/ast.ts';
import { ConditionSyntaxError, parseCondition } from '../condition/parser.ts';
import { quoteItem } from './compile-lists.ts';
import { oneofBase } from './exception-shape.ts';
import type { ExceptionInfo } from './items.ts';
import { RuleLoadError } from './result.ts';

const parenItem = (e: string): string => (e[0] !== '(' ? `(${e})` : e);
const isListOperator = (op: string): boolean => (LIST_OPERATORS as readonly string[]).includes(op);

/**
 * Folds a rule's exceptions into its condition as text, exactly as Falco's
 * build_rule_exception_infos does: `(<cond>) and not (<ex1>) and not (<ex2>)...`.
 */
export function conditionWithExceptions(condition: string, exceptions: readonly ExceptionInfo[]): string {
  let out = `(${condition})`;
  for (const ex of exceptions) {
    const icond = ex.fields.isList ? listForm(ex) : scalarForm(ex);
    if (icond !== '') out += ` and not ${icond}`;
  }
  return out;
}

/** `f op oneof (a, b)` checked as `(f op a or f op b)`: the same fields, operators and values. */
function oneofCheck(field: string, op: string, values: readonly string[]): string {
  // `f startswith oneof ()` loads in Falco and matches nothing, like `f in ()`
  if (values.length === 0) return `(${field} in ())`;
  return `(${values.map((v) => `${field} ${op} ${quoteItem(v)}`).join(' or ')})`;
}

/**
 * A scalar value under a `oneof` comparison is written as Falco writes any scalar of a list
 * operator: in parentheses, unquoted. So `/tmp` is the list `(/tmp)` and `a, b` two values; the
 * items, or undefined when the text is no list at all (`x y`: Falco 0.44.1 answers "expected a
 * ')' token" where it meets it in the rule's condition).
 */
function oneofScalarItems(item: string): string[] | undefined {
  try {
    const check = parseCondition(`fd.name in ${parenItem(item)}`);
    return check.kind === 'binary' && check.right.kind === 'list' ? [...check.right.values] : [item];
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return undefined;
    throw error;
  }
}

function scalarForm(ex: ExceptionInfo): string {
  const base = oneofBase(ex.comps.item);
  if (base !== undefined) {
    if (ex.values.some((v) => v.isList)) {
      throw new RuleLoadError('LOAD_ERR_VALIDATE', 'Expected values array to contain a list of strings', ex.ctx);
    }
    return ex.values.length === 0 ? '' : oneofCheck(ex.fields.item, base, ex.values.map((v) => v.item));
  }
  let icond = '';
  for (const val of ex.values) {
    if (val.isList) throw new RuleLoadError('LOAD_ERR_VALIDATE', 'Expected values array to contain a list of strings', ex.ctx);
    icond += icond === '' ? `(${ex.fields.item} ${ex.comps.item} (` : ', ';
    icond += quoteItem(val.item);
  }
  return icond === '' ? '' : `${icond}))`;
}

function listForm(ex: ExceptionInfo): string {
  let icond = '(';
  for (const values of ex.values) {
    if (ex.fields.items.length !== values.items.length) {
      throw new RuleLoadError('LOAD_ERR_VALIDATE', 'Fields and values lists must have equal length', ex.ctx);
    }
    icond += icond === '(' ? '(' : ' or (';
    ex.fields.items.forEach((field, k) => {
      const value = values.items[k];
      const comp = ex.comps.items[k]?.item ?? '';
      let istr: string;
      const base = oneofBase(comp);
      if (base !== undefined) {
        const items = value?.isList === true ? value.items.map((v) => v.item) : oneofScalarItems(value?.item ?? '');
        // Not a list: kept as Falco's text has it, so the condition's parse fails there, in order.
        const check = items === undefined ? `${field.item} in ${parenItem(value?.item ?? '')}` : oneofCheck(field.item, base, items);
        icond += `${k === 0 ? '' : ' and '} ${check}`;
        return;
      }
      if (value?.isList === true) {
        istr = `(${value.items.map((v) => quoteItem(v.item)).join(', ')})`;
      } else {
        const item = value?.item ?? '';
        istr = isListOperator(comp) ? parenItem(item) : quoteItem(item);
      }
      icond += `${k === 0 ? '' : ' and '} ${field.item} ${comp} ${istr}`;
    });
    icond += ')';
  }
  icond += ')';
  return icond === '()' ? '' : icond;
}
