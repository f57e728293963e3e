import type { Expr, ListExpr, Operand, ValueExpr } from './ast.ts';
import { escapeValue } from './escaping.ts';

/**
 * The canonical text of a condition (libs ast::as_string, what Falco shows as
 * `condition_compiled`): chains in parentheses, single checks bare, values quoted when needed.
 */
export function canonical(e: Expr): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.children.map(canonical).join(` ${e.kind} `)})`;
    case 'not':
      return `not ${canonical(e.child)}`;
    case 'identifier':
      return e.name;
    case 'unary':
      return `${operand(e.left)} ${e.op}`;
    case 'binary':
      return `${operand(e.left)} ${e.op} ${right(e.right)}`;
  }
}

function operand(o: Operand): string {
  if (o.kind === 'transformer') return `${o.name}(${operand(o.child)})`;
  return o.arg === '' ? o.name : `${o.name}[${escapeValue(o.arg)}]`;
}

function right(r: Operand | ValueExpr | ListExpr): string {
  if (r.kind === 'value') return escapeValue(r.value);
  if (r.kind === 'list') return `(${r.values.map(escapeValue).join(', ')})`;
  return operand(r);
}
