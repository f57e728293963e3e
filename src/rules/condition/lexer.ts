import type { Pos } from './ast.ts';

/**
 * The token cursor of the condition parser. It reproduces libsinsp's lexing rules: POSIX
 * leftmost-longest token regexes anchored at the cursor, blanks limited to space, tab,
 * backspace, CR and LF, and positions advanced one character at a time.
 */
const RGX_NOT_BLANK = /not[ \t\n\r\f\v]+/y;
const RGX_IDENTIFIER = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
const RGX_FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const RGX_FIELD_ARG_BARE = /[^\][\"' \t\n\r\f\v]+/y;
const RGX_HEX_NUMBER = /0[xX][0-9a-fA-F]+/y;
const RGX_NUMBER = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
const RGX_BARE_STR = /[^()"' \t\n\r\f\v=,]+/y;

export const TOKEN_PATTERNS = {
  notBlank: RGX_NOT_BLANK,
  identifier: RGX_IDENTIFIER,
  fieldName: RGX_FIELD_NAME,
  fieldArgBare: RGX_FIELD_ARG_BARE,
  hexNumber: RGX_HEX_NUMBER,
  number: RGX_NUMBER,
  bareStr: RGX_BARE_STR,
} as const;

export class Lexer {
  readonly input: string;
  idx = 0;
  line = 1;
  col = 1;
  lastToken = '';

  constructor(input: string) {
    this.input = input;
  }

  pos(): Pos {
    return { idx: this.idx, line: this.line, col: this.col };
  }

  restore(pos: Pos): void {
    this.idx = pos.idx;
    this.line = pos.line;
    this.col = pos.col;
  }

  atEnd(): boolean {
    return this.idx >= this.input.length;
  }

  /** Advances over `count` characters, counting lines the way libsinsp does (CR or LF). */
  advance(count: number): void {
    const end = this.idx + count;
    for (; this.idx < end; this.idx++) {
      const c = this.input.charCodeAt(this.idx);
      this.col++;
      if (c === 13 || c === 10) {
        this.col = 1;
        this.line++;
      }
    }
  }

  /** Skips blanks; returns whether there was at least one. Does not change `lastToken`. */
  blank(): boolean {
    const start = this.idx;
    let end = start;
    for (; end < this.input.length; end++) {
      const c = this.input.charCodeAt(end);
      if (c !== 32 && c !== 9 && c !== 8 && c !== 13 && c !== 10) break;
    }
    this.advance(end - start);
    return end > start;
  }

  str(token: string): boolean {
    if (!this.input.startsWith(token, this.idx)) return false;
    this.lastToken = token;
    this.advance(token.length);
    return true;
  }

  regex(pattern: RegExp): boolean {
    pattern.lastIndex = this.idx;
    const match = pattern.exec(this.input);
    if (match === null) return false;
    this.lastToken = match[0];
    this.advance(match[0].length);
    return true;
  }

  /**
   * A quoted string with backslash escapes; `lastToken` keeps the quotes (the parser unescapes
   * it). An unterminated string consumes nothing but, as in libs, leaves its text in `lastToken`.
   */
  quoted(): boolean {
    const quote = this.input[this.idx];
    if (quote !== '"' && quote !== "'") return false;
    let prev = '\\';
    for (let i = this.idx; i < this.input.length; i++) {
      const c = this.input[i] ?? '';
      if (c === quote && prev !== '\\') {
        this.lastToken = this.input.slice(this.idx, i + 1);
        this.advance(i + 1 - this.idx);
        return true;
      }
      prev = c;
    }
    this.lastToken = this.input.slice(this.idx);
    return false;
  }

  /**
   * Operators from a list; those written with a trailing space need a blank after them. As in
   * libs, a word operator that matches without a following blank consumes the word and fails.
   */
  operator(list: readonly string[]): boolean {
    for (const op of list) {
      if (!op.endsWith(' ')) {
        if (this.str(op)) return true;
        continue;
      }
      if (this.str(op.trimEnd())) return this.blank();
    }
    return false;
  }
}
