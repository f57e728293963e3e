/**
 * The condition AST, shaped like libsinsp's filter AST so that positions, macro substitution and
 * event-type inference behave as in Falco. Positions are the parser's: `idx` 0-based, `line` and
 * `col` 1-based (Falco adds them to 0-based YAML marks, which is why its printed positions are
 * shifted by one).
 */
export interface Pos {
  readonly idx: number;
  readonly line: number;
  readonly col: number;
}

export interface FieldExpr {
  readonly kind: 'field';
  readonly name: string;
  /** The text between `[` and `]`, unescaped when quoted; '' when the field has no argument. */
  readonly arg: string;
  readonly pos: Pos;
}

export interface TransformerExpr {
  readonly kind: 'transformer';
  /** tolower, toupper, b64, basename, len, or val (right-hand side only). */
  readonly name: string;
  readonly child: FieldExpr | TransformerExpr;
  readonly pos: Pos;
}

export interface ValueExpr {
  readonly kind: 'value';
  readonly value: string;
  readonly pos: Pos;
}

export interface ListExpr {
  readonly kind: 'list';
  readonly values: readonly string[];
  readonly pos: Pos;
}

export type Operand = FieldExpr | TransformerExpr;

export interface UnaryCheck {
  readonly kind: 'unary';
  readonly left: Operand;
  readonly op: string;
  readonly pos: Pos;
}

export interface BinaryCheck {
  readonly kind: 'binary';
  readonly left: Operand;
  readonly op: string;
  readonly right: Operand | ValueExpr | ListExpr;
  readonly pos: Pos;
}

export interface IdentifierExpr {
  readonly kind: 'identifier';
  readonly name: string;
  readonly pos: Pos;
}

export interface AndExpr {
  readonly kind: 'and';
  readonly children: readonly Expr[];
  readonly pos: Pos;
}

export interface OrExpr {
  readonly kind: 'or';
  readonly children: readonly Expr[];
  readonly pos: Pos;
}

export interface NotExpr {
  readonly kind: 'not';
  readonly child: Expr;
  readonly pos: Pos;
}

export type Expr = AndExpr | OrExpr | NotExpr | IdentifierExpr | UnaryCheck | BinaryCheck;

/** The operators of the 0.42 grammar (libs 0.22), in libs' own order. */
export const UNARY_OPERATORS = ['exists'] as const;
export const NUMERIC_OPERATORS = ['<=', '<', '>=', '>'] as const;
/** A trailing space means the operator must be followed by a blank. */
export const STRING_OPERATORS = [
  '==', '=', '!=', 'glob ', 'iglob ', 'contains ', 'icontains ', 'bcontains ', 'startswith ',
  'bstartswith ', 'endswith ', 'regex ',
] as const;
export const LIST_OPERATORS = ['intersects', 'in', 'pmatch'] as const;
export const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len'] as const;

/** Every operator name, trimmed, in libs' order (used by exception `comps` checks). */
export const ALL_OPERATORS: readonly string[] = [
  ...UNARY_OPERATORS,
  ...NUMERIC_OPERATORS,
  ...STRING_OPERATORS.map((op) => op.trim()),
  ...LIST_OPERATORS,
];
