import { FieldError } from '../fields/catalog.ts';
import type { SourceFields } from '../fields/catalog.ts';
import type { FieldInfo } from '../fields/field-info.ts';
import type { BinaryCheck, Expr, FieldExpr, Operand, Pos, TransformerExpr } from './ast.ts';
import { TRANSFORMERS } from './ast.ts';
import { comparabilityError, displayType, isHexString, valueError } from './values.ts';
import { EVENT_CODE_NAMES, SYSCALL_NAMES } from '../fields/events.generated.ts';

/** A compile error at the position where libsinsp's compiler stood when it failed. */
export class FilterCompileError extends Error {
  readonly pos: Pos;
  constructor(message: string, pos: Pos) {
    super(message);
    this.pos = pos;
  }
}

export interface CompileWarning {
  readonly message: string;
  readonly pos: Pos;
}

/** A field after its transformers: what comparisons see. */
interface Resolved {
  readonly base: FieldInfo;
  readonly type: string;
  readonly isList: boolean;
  /** Where libs' compiler stands after visiting the operand (its innermost field). */
  readonly pos: Pos;
}

const CMPOP_NUMBER: Readonly<Record<string, number>> = { pmatch: 13, regex: 19 };
const KNOWN_EVENT_TYPES = new Set([...EVENT_CODE_NAMES, ...SYSCALL_NAMES]);

/**
 * Checks a macro-resolved condition against a source's fields the way sinsp_filter_compiler does
 * (filter.cpp, libs 0.22.2): field existence and arguments, transformers, operator/type pairs,
 * right-hand fields and constant values. Returns the compiler's warnings.
 */
export function compileFilter(expr: Expr, fields: SourceFields): CompileWarning[] {
  const warnings: CompileWarning[] = [];
  visit(expr, fields, warnings);
  return warnings;
}

function visit(expr: Expr, fields: SourceFields, warnings: CompileWarning[]): void {
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const child of expr.children) visit(child, fields, warnings);
      return;
    case 'not':
      visit(expr.child, fields, warnings);
      return;
    case 'identifier':
      throw new FilterCompileError(`filter error: unexpected identifier '${expr.name}'`, expr.pos);
    case 'unary': {
      const left = resolveOperand(expr.left, fields);
      checkComparable(expr.op, left);
      return;
    }
    case 'binary':
      compileBinary(expr, fields, warnings);
  }
}

function compileBinary(e: BinaryCheck, fields: SourceFields, warnings: CompileWarning[]): void {
  const left = resolveOperand(e.left, fields);
  checkComparable(e.op, left);
  const right = e.right;
  if (right.kind === 'field' || right.kind === 'transformer') {
    const rhs = resolveOperand(right, fields);
    checkRightField(e.op, left, rhs);
    return;
  }
  const values = right.kind === 'list' ? right.values : [right.value];
  for (const value of values) {
    addValueWarnings(e.op, right.pos, value, fields, warnings);
    const error = constantError(e.op, left, value);
    if (error !== undefined) throw new FilterCompileError(error, right.pos);
  }
}

function checkComparable(op: string, operand: Resolved): void {
  const error = comparabilityError(op, operand.type, operand.isList);
  if (error !== undefined) throw new FilterCompileError(`filter error: ${error}`, operand.pos);
}

function resolveOperand(operand: Operand, fields: SourceFields): Resolved {
  if (operand.kind === 'field') return resolveField(operand, fields);
  const inner = resolveOperand(operand.child, fields);
  if (operand.name === 'val') return inner;
  return applyTransformer(operand, inner);
}

function resolveField(f: FieldExpr, fields: SourceFields): Resolved {
  const name = f.arg === '' ? f.name : `${f.name}[${f.arg}]`;
  let info: FieldInfo | null;
  try {
    info = fields.resolve(name);
  } catch (error) {
    if (error instanceof FieldError) throw new FilterCompileError(error.message, f.pos);
    throw error;
  }
  if (info === null) throw new FilterCompileError(`filter_check called with nonexistent field ${name}`, f.pos);
  return { base: info, type: info.type, isList: info.isList, pos: f.pos };
}

const STRINGY = ['CHARBUF', 'FSPATH', 'FSRELPATH'];
const TRANSFORMER_INPUTS: Readonly<Record<string, readonly string[]>> = {
  tolower: STRINGY,
  toupper: STRINGY,
  basename: STRINGY,
  b64: ['CHARBUF', 'BYTEBUF'],
  len: [...STRINGY, 'BYTEBUF'],
};

function applyTransformer(t: TransformerExpr, inner: Resolved): Resolved {
  if (inner.base.flags.has('EPF_NO_TRANSFORMER')) {
    throw new FilterCompileError(`field '${inner.base.name}' does not support transformers`, inner.pos);
  }
  if (t.name === 'len' && inner.isList) return { ...inner, type: 'UINT64', isList: false };
  if (!(TRANSFORMER_INPUTS[t.name] ?? []).includes(inner.type)) {
    throw new FilterCompileError(
      `can't add field transformer: type '${displayType(inner.type)}' is not supported by '${t.name}' ` +
        `transformer applied on ${inner.isList ? 'list ' : ''}field '${inner.base.name}'`,
      inner.pos,
    );
  }
  return t.name === 'len' ? { ...inner, type: 'UINT64' } : inner;
}

function checkRightField(op: string, left: Resolved, rhs: Resolved): void {
  const fail = (message: string): never => {
    throw new FilterCompileError(message, rhs.pos);
  };
  const cmpop = CMPOP_NUMBER[op];
  if (cmpop !== undefined) fail(`operator '${cmpop}' doesn't support right-hand side fields`);
  if (['IPNET', 'IPV4NET', 'IPV6NET'].includes(left.type)) {
    fail("field type 'IPNET' doesn't support right-hand side fields");
  }
  if (left.base.flags.has('EPF_NO_RHS')) fail(`field '${left.base.name}' doesn't support right-hand side fields`);
  if (rhs.base.flags.has('EPF_NO_RHS')) fail(`field '${rhs.base.name}' can't be used as a right-hand side field`);
  if (left.type !== rhs.type || left.isList !== rhs.isList) {
    const l = `${displayType(left.type)}${left.isList ? ' (list)' : ''}`;
    const r = `${displayType(rhs.type)}${rhs.isList ? ' (list)' : ''}`;
    fail(
      `field '${left.base.name}' has type '${l}' while the right-hand side field '${rhs.base.name}' has incompatible type '${r}'`,
    );
  }
}

function constantError(op: string, left: Resolved, value: string): string | undefined {
  if (op === 'bcontains' || op === 'bstartswith') {
    return isHexString(value) ? undefined : 'filter error: bcontains and bstartswith operator support hex strings only';
  }
  if (left.type !== 'BYTEBUF') {
    const error = valueError(value, left.type);
    if (error !== undefined) return error;
  }
  if (left.base.name === 'evt.type' && !KNOWN_EVENT_TYPES.has(value)) return `unknown event type ${value}`;
  if (left.base.name === 'evt.around' && op !== '=' && op !== '==') {
    return "evt.around supports only '=' comparison operator";
  }
  return undefined;
}

const REGEX_SPECIAL = '.+*?^$()[]{}|\\';

function addValueWarnings(op: string, pos: Pos, value: string, fields: SourceFields, out: CompileWarning[]): void {
  const nospaces = value.replace(/[ \t\n\v\f\r]/g, '');
  if (op === 'regex' && regexIsSimple(value)) {
    out.push({
      message: `regex check with '${value}' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'`,
      pos,
    });
  }
  try {
    if (fields.resolve(nospaces) !== null) {
      out.push({ message: `'${value}' may be a valid field misused as a const string value`, pos });
    }
  } catch {
    // libs ignores lookup failures here: the value is only a candidate field name
  }
  for (const t of ['val', ...TRANSFORMERS]) {
    if (nospaces.length >= t.length + 2 && nospaces.startsWith(`${t}(`) && nospaces.endsWith(')')) {
      out.push({ message: `'${value}' may be a valid field transformer misused as a const string value`, pos });
    }
  }
}

/** check_warnings_regex_value: no special character outside the anchors and edge wildcards. */
function regexIsSimple(v: string): boolean {
  const len = v.length;
  for (let i = 0; i < len; i++) {
    const c = v[i] ?? '';
    if ((i === 0 && c === '^') || (i === len - 1 && c === '$')) continue;
    if (((i === 0 && len > 1) || i === len - 2) && c === '.' && '+*?'.includes(v[i + 1] ?? '\0')) {
      i++;
      continue;
    }
    if (REGEX_SPECIAL.includes(c)) return false;
  }
  return true;
}
