import {
  LIST_OPERATORS,
  NUMERIC_OPERATORS,
  STRING_OPERATORS,
  TRANSFORMERS,
  UNARY_OPERATORS,
  ALL_OPERATORS,
} from './ast.ts';
import type { Expr, FieldExpr, ListExpr, Operand, Pos, TransformerExpr, ValueExpr } from './ast.ts';
import { EscapeError, unescapeQuoted } from './escaping.ts';
import { Lexer, TOKEN_PATTERNS as T } from './lexer.ts';

/** A syntax error with the parser position at which libsinsp would have stopped. */
export class ConditionSyntaxError extends Error {
  readonly pos: Pos;
  constructor(message: string, pos: Pos) {
    super(message);
    this.pos = pos;
  }
}

export interface ParseOptions {
  /** Nesting cap (parentheses, `not(`, transformers): the depth refused as an error. */
  readonly maxDepth?: number;
  /** Throw DeepConditionError past the stack-safe depth, for the caller to retry on a large stack. */
  readonly deepFallback?: boolean;
  /** Transformer names listed in messages (the release's; default libs 0.22's). */
  readonly transformerNames?: readonly string[];
}

/**
 * Nesting this thread's stack can parse and walk safely (~8 frames per level; the default stack
 * overflows near 1000 levels). Deeper conditions throw DeepConditionError, and validation is redone
 * on a thread with a large stack (large-stack.ts), which lifts this bound.
 */
let stackSafeDepth = 400;
export function setStackSafeDepth(depth: number): void {
  stackSafeDepth = depth;
}

/** The condition nests deeper than this thread can follow; not a verdict on the condition. */
export class DeepConditionError extends Error {}

const quoteList = (items: readonly string[]): string => items.map((i) => `'${i}'`).join(', ');
const TRANSFORMER_TOKENS = TRANSFORMERS.map((t) => `${t}(`);
const TRANSFORMERS_WITH_VAL = quoteList(['val', ...TRANSFORMERS]);

/**
 * Parses a Falco condition into an AST, following the libsinsp grammar (filter/parser.h) with its
 * error messages. Throws ConditionSyntaxError.
 */
export function parseCondition(input: string, options: ParseOptions = {}): Expr {
  if (input.length === 0) throw new ConditionSyntaxError('filter input string is empty', start());
  const parser = new ConditionParser(
    input,
    options.maxDepth ?? 1000,
    options.deepFallback === true ? stackSafeDepth : Infinity,
    options.transformerNames === undefined ? TRANSFORMERS_WITH_VAL : quoteList(options.transformerNames),
  );
  return parser.parse();
}

function start(): Pos {
  return { idx: 0, line: 1, col: 1 };
}

class ConditionParser {
  private readonly lex: Lexer;
  private readonly maxDepth: number;
  private readonly safeDepth: number;
  private depth = 0;

  private readonly transformerList: string;

  constructor(input: string, maxDepth: number, safeDepth: number, transformerList: string) {
    this.lex = new Lexer(input);
    this.maxDepth = maxDepth;
    this.safeDepth = safeDepth;
    this.transformerList = transformerList;
  }

  parse(): Expr {
    const expr = this.parseOr();
    if (!this.lex.atEnd()) {
      this.fail(`unexpected token after '${this.lex.lastToken}', expecting 'or', 'and'`);
    }
    return expr;
  }

  private fail(message: string): never {
    throw new ConditionSyntaxError(message, this.lex.pos());
  }

  /**
   * Bounds recursion. libs' own guard is a no-op temporary, so Falco has no limit: it overflows its
   * stack (SIGSEGV, no report) near 8,170 levels of parentheses; maxDepth refuses from there on.
   */
  private enter(): void {
    if (++this.depth >= this.maxDepth) this.fail(`exceeded max depth limit of ${this.maxDepth}`);
    if (this.depth >= this.safeDepth) throw new DeepConditionError(`condition nests ${this.depth} levels deep`);
  }

  private parseOr(): Expr {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseChain('and', () => this.parseNot());
  }

  private parseChain(word: 'and' | 'or', next: () => Expr): Expr {
    const pos = this.lex.pos();
    const children: Expr[] = [];
    this.lex.blank();
    children.push(next());
    this.lex.blank();
    while (this.lex.str(word)) {
      if (this.lex.blank()) children.push(next());
      else if (this.lex.str('(')) children.push(this.parseEmbeddedRemainder());
      else this.fail(`expected blank or '(' after '${word}'`);
      this.lex.blank();
    }
    if (children.length === 1 && children[0] !== undefined) return children[0];
    return { kind: word, children, pos };
  }

  private parseNot(): Expr {
    const pos = this.lex.pos();
    let negated = false;
    this.lex.blank();
    while (this.lex.regex(T.notBlank)) negated = !negated;
    let child: Expr;
    if (this.lex.str('not(')) {
      negated = !negated;
      child = this.parseEmbeddedRemainder();
    } else {
      child = this.parseCheck();
    }
    return negated ? { kind: 'not', child, pos } : child;
  }

  private parseEmbeddedRemainder(): Expr {
    this.enter();
    this.lex.blank();
    const child = this.parseOr();
    this.lex.blank();
    if (!this.lex.str(')')) this.fail("expected a ')' token");
    this.depth--;
    return child;
  }

  private parseCheck(): Expr {
    const pos = this.lex.pos();
    this.lex.blank();
    if (this.lex.str('(')) return this.parseEmbeddedRemainder();
    if (this.lex.regex(T.fieldName)) {
      const left = this.parseFieldRemainder(this.lex.lastToken, pos);
      return this.parseCondition(left, pos);
    }
    if (this.transformerToken()) {
      this.lex.blank();
      const left = this.parseTransformerRemainder(this.lex.lastToken.slice(0, -1), pos);
      return this.parseCondition(left, pos);
    }
    if (this.lex.regex(T.identifier)) return { kind: 'identifier', name: this.lex.lastToken, pos };
    return this.fail("expected a '(' token, a field check, or an identifier");
  }

  private transformerToken(): boolean {
    return TRANSFORMER_TOKENS.some((token) => this.lex.str(token));
  }

  private parseFieldRemainder(name: string, pos: Pos): FieldExpr {
    let arg = '';
    if (this.lex.str('[')) {
      if (this.lex.quoted()) arg = this.unescape(this.lex.lastToken);
      else if (this.lex.regex(T.fieldArgBare)) arg = this.lex.lastToken;
      else this.fail('expected a valid field argument: a quoted string or a bare string');
      if (!this.lex.str(']')) this.fail("expected a ']' token");
    }
    return { kind: 'field', name, arg, pos };
  }

  private parseTransformerRemainder(name: string, pos: Pos): TransformerExpr {
    this.enter();
    this.lex.blank();
    const argPos = this.lex.pos();
    let child: Operand | undefined;
    if (this.transformerToken()) {
      this.lex.blank();
      child = this.parseTransformerRemainder(this.lex.lastToken.slice(0, -1), argPos);
    }
    if (this.lex.regex(T.fieldName)) child = this.parseFieldRemainder(this.lex.lastToken, argPos);
    if (child === undefined) {
      this.fail(`expected a field or a nested valid transformer: ${this.transformerList}`);
    }
    this.lex.blank();
    if (!this.lex.str(')')) this.fail("expected a ')' token closing the transformer");
    this.depth--;
    return { kind: 'transformer', name, child, pos };
  }

  private parseCondition(left: Operand, pos: Pos): Expr {
    this.lex.blank();
    if (this.lex.operator(UNARY_OPERATORS)) {
      return { kind: 'unary', left, op: this.lex.lastToken.trim(), pos };
    }
    this.lex.blank();
    let right: Operand | ValueExpr | ListExpr;
    let op: string;
    if (this.lex.operator(NUMERIC_OPERATORS)) {
      op = this.lex.lastToken;
      right = this.parseNumValue();
    } else if (this.lex.operator(STRING_OPERATORS)) {
      op = this.lex.lastToken;
      right = this.parseStrValue(false);
    } else if (this.lex.operator(LIST_OPERATORS)) {
      op = this.lex.lastToken;
      right = this.parseListValue();
    } else {
      return this.fail(`expected a valid check operator: one of ${quoteList(ALL_OPERATORS)}`);
    }
    return { kind: 'binary', left, op: op.trim(), right, pos };
  }

  private parseNumValue(): Operand | ValueExpr {
    this.lex.blank();
    const pos = this.lex.pos();
    const transformer = this.tryTransformerOrVal();
    if (transformer !== undefined) return transformer;
    if (this.lex.regex(T.hexNumber) || this.lex.regex(T.number)) {
      return { kind: 'value', value: this.lex.lastToken, pos };
    }
    return this.fail(
      `expected a number value or a field with a valid transformer: ${this.transformerList}`,
    );
  }

  private parseStrValue(noTransformer: boolean): Operand | ValueExpr {
    this.lex.blank();
    const pos = this.lex.pos();
    if (!noTransformer) {
      const transformer = this.tryTransformerOrVal();
      if (transformer !== undefined) return transformer;
    }
    if (this.lex.quoted()) return { kind: 'value', value: this.unescape(this.lex.lastToken), pos };
    if (this.lex.regex(T.bareStr)) return { kind: 'value', value: this.lex.lastToken, pos };
    if (noTransformer) return this.fail('expected a string value');
    return this.fail(
      `expected a string value or a field with a valid transformer: ${this.transformerList}`,
    );
  }

  private parseListValue(): Operand | ValueExpr | ListExpr {
    this.lex.blank();
    const pos = this.lex.pos();
    if (this.lex.str('(')) return this.parseListItems(pos);
    const transformer = this.tryTransformerOrVal();
    if (transformer !== undefined) return transformer;
    if (this.lex.regex(T.identifier)) return { kind: 'value', value: this.lex.lastToken, pos };
    return this.fail(
      `expected a list, an identifier, or a field with a valid transformer: ${this.transformerList}`,
    );
  }

  /** After `(`: an empty list, or values separated by commas (libs retries a failed head as empty). */
  private parseListItems(pos: Pos): ListExpr {
    const values: string[] = [];
    this.lex.blank();
    const head = this.tryStrValue();
    if (head !== undefined) {
      values.push(head);
      this.lex.blank();
      while (this.lex.str(',')) {
        const value = this.parseStrValue(true);
        if (value.kind === 'value') values.push(value.value);
        this.lex.blank();
      }
    }
    if (!this.lex.str(')')) this.fail("expected a ')' token");
    return { kind: 'list', values, pos };
  }

  private tryStrValue(): string | undefined {
    try {
      const value = this.parseStrValue(true);
      return value.kind === 'value' ? value.value : undefined;
    } catch (error) {
      if (error instanceof ConditionSyntaxError) return undefined;
      throw error;
    }
  }

  private tryTransformerOrVal(): TransformerExpr | undefined {
    this.lex.blank();
    const pos = this.lex.pos();
    if (this.lex.str('val(')) {
      this.lex.blank();
      const fieldPos = this.lex.pos();
      if (!this.lex.regex(T.fieldName)) this.fail("expected a field within 'val' transformer");
      const child = this.parseFieldRemainder(this.lex.lastToken, fieldPos);
      this.lex.blank();
      if (!this.lex.str(')')) this.fail("expected a ')' token closing the transformer");
      return { kind: 'transformer', name: 'val', child, pos };
    }
    if (this.transformerToken()) {
      this.lex.blank();
      return this.parseTransformerRemainder(this.lex.lastToken.slice(0, -1), pos);
    }
    return undefined;
  }

  /** libs replaces the last token with the unescaped value, which then shows in later errors. */
  private unescape(token: string): string {
    try {
      const value = unescapeQuoted(token);
      this.lex.lastToken = value;
      return value;
    } catch (error) {
      if (error instanceof EscapeError) this.fail(error.message);
      throw error;
    }
  }
}
