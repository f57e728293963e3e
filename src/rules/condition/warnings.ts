import { DEPRECATED_FIELDS } from '../codes.ts';
import type { Expr, ListExpr, Operand, ValueExpr } from './ast.ts';

export interface ConditionWarnings {
  /** `ka.*`/`jevt.*` compared for equality with `<NA>` (LOAD_UNSAFE_NA_CHECK). */
  readonly unsafeNaCheck: boolean;
  /** Deprecated fields used in the condition (LOAD_DEPRECATED_ITEM). */
  readonly deprecatedFields: readonly string[];
}

const EQUALITY = new Set(['==', '=', '!=', 'in', 'intersects', 'pmatch']);

/** Falco's filter_warning_resolver over a macro-resolved condition. */
export function conditionWarnings(expr: Expr): ConditionWarnings {
  let unsafe = false;
  const deprecated = new Set<string>();
  let lastUnsafeField = false;

  const operand = (o: Operand): void => {
    if (o.kind === 'transformer') return operand(o.child);
    lastUnsafeField = o.name.startsWith('ka.') || o.name.startsWith('jevt.');
    if (o.name in DEPRECATED_FIELDS) deprecated.add(o.name);
  };
  const value = (v: Operand | ValueExpr | ListExpr): void => {
    if (v.kind === 'value') unsafe ||= v.value === '<NA>';
    else if (v.kind === 'list') unsafe ||= v.values.includes('<NA>');
    else operand(v);
  };
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'and':
      case 'or':
        e.children.forEach(visit);
        return;
      case 'not':
        return visit(e.child);
      case 'unary':
        return operand(e.left);
      case 'binary':
        lastUnsafeField = false;
        operand(e.left);
        if (lastUnsafeField && EQUALITY.has(e.op)) value(e.right);
        return;
      case 'identifier':
        return;
    }
  };
  visit(expr);
  return { unsafeNaCheck: unsafe, deprecatedFields: [...deprecated] };
}
