import type { Expr, Pos } from './ast.ts';

export interface MacroProblem {
  readonly message: string;
  readonly pos: Pos;
}

export interface MacroResolution {
  readonly expr: Expr;
  /** Names of the macros substituted (nested ones included). */
  readonly resolved: ReadonlySet<string>;
  readonly unknown: readonly MacroProblem[];
  readonly loops: readonly MacroProblem[];
}

/**
 * Substitutes macro references (identifiers) with the macros' conditions, like Falco's
 * filter_macro_resolver: substituted nodes keep the positions they had in the macro's own text,
 * and a macro that reaches itself is a "reference loop".
 */
export function resolveMacros(
  expr: Expr,
  lookup: (name: string) => Expr | undefined,
  maxNodes: number,
  closed?: WeakSet<Expr>,
): MacroResolution {
  const resolved = new Set<string>();
  const unknown: MacroProblem[] = [];
  const loops: MacroProblem[] = [];
  const path: string[] = [];
  let budget = maxNodes;

  const visit = (e: Expr): Expr => {
    if (--budget < 0) throw new MacroExpansionLimitError(maxNodes);
    switch (e.kind) {
      case 'and':
      case 'or': {
        const children = e.children.map(visit);
        return children.every((c, i) => c === e.children[i]) ? e : { ...e, children };
      }
      case 'not': {
        const child = visit(e.child);
        return child === e.child ? e : { ...e, child };
      }
      case 'identifier': {
        const macro = lookup(e.name);
        if (macro === undefined) {
          unknown.push({ message: e.name, pos: e.pos });
          return e;
        }
        if (path.includes(e.name)) {
          loops.push({ message: `reference loop in macro '${e.name}'`, pos: e.pos });
          unknown.push({ message: e.name, pos: e.pos });
          return e;
        }
        // A macro already free of references needs no walk: nothing in it can change.
        if (closed?.has(macro) === true) {
          resolved.add(e.name);
          return macro;
        }
        path.push(e.name);
        const substituted = visit(macro);
        resolved.add(e.name);
        path.pop();
        return substituted;
      }
      default:
        return e;
    }
  };
  return { expr: visit(expr), resolved, unknown, loops };
}

/**
 * Size of the tree a condition stands for once shared macro subtrees are counted at every use
 * (what Falco, which clones macros, would build). Memoised per node, so linear in the DAG.
 */
export function expandedSize(expr: Expr, memo: WeakMap<Expr, number>): number {
  const known = memo.get(expr);
  if (known !== undefined) return known;
  let size = 1;
  if (expr.kind === 'and' || expr.kind === 'or') {
    for (const child of expr.children) size += expandedSize(child, memo);
  } else if (expr.kind === 'not') {
    size += expandedSize(expr.child, memo);
  }
  memo.set(expr, size);
  return size;
}

/** Macro expansion is exponential in the worst case (each macro using the previous twice). */
export class MacroExpansionLimitError extends Error {
  constructor(maxNodes: number) {
    super(`condition expands to more than ${maxNodes} nodes after macro substitution`);
  }
}
