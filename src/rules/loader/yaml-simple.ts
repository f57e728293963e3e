import type { Scalar } from 'yaml';
import { SimpleDocument, SimpleMap, SimplePair, SimpleScalar, SimpleSeq } from './yaml-nodes.ts';
import type { SimpleNode, YDocument } from './yaml-nodes.ts';

/**
 * A fast reader for the plain shape of YAML that rules files are written in: block sequences and
 * mappings indented with spaces, plain keys, plain (also multi-line), single-line quoted, literal
 * and folded scalars, and flow sequences of scalars. It builds nodes of its own (yaml-nodes.ts)
 * that hold what the `yaml` package composes for that text (kinds, scalar types, values, and the
 * start and value end of every range), so the rest of the loader cannot tell the two apart, and
 * reading such a file never loads `yaml`; `test/rules/yaml-simple.test.ts` holds it to that on the
 * published rules files and on generated variations of them.
 *
 * Anything else — anchors, aliases, tags, flow mappings, explicit keys, document markers,
 * directives, tabs, carriage returns, multi-line quoted scalars, escapes beyond the common ones,
 * and every text `yaml` would report an error for — makes it give up (undefined), and the caller
 * parses with `yaml` as before. Why it exists: `yaml`'s lexer, parser and composer were most of a
 * cold `falconer validate` (docs/benchmarks.md, Footprint); this reads falco_rules.yaml several
 * times faster and allocates far less.
 *
 * Not kept: comments, blank-line markers and the end of a node's trailing space (`range[2]` is
 * the value end); nothing in the loader reads them.
 */
export function parseSimpleYaml(text: string): SimpleDocument[] | undefined {
  if (OUTSIDE_CHARS.test(text) || OUTSIDE_LINES.test(text)) return undefined;
  try {
    return [new SimpleReader(text).document()];
  } catch (err) {
    if (err === OUTSIDE) return undefined;
    throw err;
  }
}

/** Whether `doc` was read here: it then holds no alias, no tag, and only plain scalars as keys. */
export function isSimpleDocument(doc: YDocument): boolean {
  return doc instanceof SimpleDocument;
}

/** Characters the reader leaves to `yaml`: controls (tabs and CRs included), NEL, BOMs, line separators. */
const OUTSIDE_CHARS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
/** Lines that start a directive or mark a document's start or end. */
const OUTSIDE_LINES = /^(?:%|---|\.\.\.)/m;

/** Thrown inside the reader when the text leaves the subset (one object: no stack to capture). */
const OUTSIDE = new Error('outside the simple YAML subset');

/** Nesting beyond this is left to `yaml` (and its depth checks), so the reader's recursion stays shallow. */
const MAX_NESTING = 64;

const NL = 10;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** First characters of a plain scalar that YAML gives another meaning (or `yaml` may read differently). */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));

/** The escapes of double-quoted scalars taken here; `\x`, `\u` and the rarer ones go to `yaml`. */
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', ' ': ' ' };

class SimpleReader {
  private readonly s: string;
  private readonly len: number;
  /** The start of the line the reader stands before (everything earlier is read). */
  private pos = 0;
  private depth = 0;

  constructor(text: string) {
    this.s = text;
    this.len = text.length;
  }

  document(): SimpleDocument {
    const first = this.nextContent();
    if (first < 0 || this.column(first) !== 0) throw OUTSIDE;
    const root = this.blockNode(first, -1);
    // a root followed by more content at its column is a second document to yaml-cpp (yaml-stream.ts)
    if (this.nextContent() >= 0) throw OUTSIDE;
    return new SimpleDocument(root, this.len);
  }

  // ---- lines

  private lineEnd(from: number): number {
    const nl = this.s.indexOf('\n', from);
    return nl < 0 ? this.len : nl;
  }

  private lineStartOf(at: number): number {
    return this.s.lastIndexOf('\n', at - 1) + 1;
  }

  private column(at: number): number {
    return at - this.lineStartOf(at);
  }

  private skipSpaces(from: number): number {
    let i = from;
    while (this.s.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /**
   * The first character of the next line (from `pos`) that is neither blank nor a comment, or -1
   * at the end; `pos` moves to that line's start (or the end).
   */
  private nextContent(): number {
    let start = this.pos;
    while (start < this.len) {
      const at = this.skipSpaces(start);
      const c = this.s.charCodeAt(at);
      if (at < this.len && c !== NL && c !== HASH) {
        this.pos = start;
        return at;
      }
      start = this.lineEnd(at) + 1;
    }
    this.pos = this.len;
    return -1;
  }

  /** Moves past the line holding `at`, whose rest (from `at`) must be blank or a comment. */
  private endLine(at: number): void {
    const i = this.skipSpaces(at);
    const c = this.s.charCodeAt(i);
    if (i < this.len && c !== NL && !(c === HASH && this.s.charCodeAt(i - 1) === SPACE)) throw OUTSIDE;
    this.pos = Math.min(this.lineEnd(i) + 1, this.len);
  }

  // ---- block nodes

  /** The block node whose first token is at `at`, the first content of its line, inside a parent indented `parent`. */
  private blockNode(at: number, parent: number): SimpleNode {
    if (++this.depth > MAX_NESTING) throw OUTSIDE;
    const col = this.column(at);
    let node: SimpleNode;
    if (this.isDash(at)) node = this.sequence(at, col, false);
    else if (this.keyColon(at) >= 0) node = this.mapping(at, col);
    else if (parent >= 0) node = this.plain(at, parent);
    else throw OUTSIDE;
    this.depth--;
    return node;
  }

  /** Whether `at` holds a sequence entry's `-` (followed by a space or the end of the line). */
  private isDash(at: number): boolean {
    if (this.s.charCodeAt(at) !== DASH) return false;
    const next = this.s.charCodeAt(at + 1);
    return at + 1 >= this.len || next === SPACE || next === NL;
  }

  /**
   * The offset of the `:` that ends a plain key starting at `at` (followed by a space or the end of
   * the line, before any comment), or -1 when the line holds no such key.
   */
  private keyColon(at: number): number {
    const first = this.s.charCodeAt(at);
    if (INDICATORS.has(first)) return -1;
    const end = this.lineEnd(at);
    for (let i = at + 1; i < end; i++) {
      const c = this.s.charCodeAt(i);
      if (c === COLON) {
        const next = this.s.charCodeAt(i + 1);
        if (i + 1 >= end || next === SPACE) return i;
      } else if (c === HASH && this.s.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  /**
   * A block sequence whose first `-` is at `at`. `underKey`: it is the value of a mapping key at
   * the same column, so a key at that column ends it.
   */
  private sequence(at: number, col: number, underKey: boolean): SimpleSeq {
    const seq = new SimpleSeq(at, false);
    let dash = at;
    let end = at;
    for (;;) {
      const q = this.skipSpaces(dash + 1);
      const c = this.s.charCodeAt(q);
      let item: SimpleNode;
      if (q >= this.len || c === NL || (c === HASH && q > dash + 1)) {
        this.endLine(q);
        const next = this.nextContent();
        if (next >= 0 && this.column(next) > col) item = this.blockNode(next, col);
        else item = this.empty(q);
      } else {
        item = this.inline(q, col, true);
      }
      seq.items.push(item);
      end = item.range[2];
      const next = this.nextContent();
      const nextCol = next < 0 ? -1 : this.column(next);
      if (next < 0 || nextCol < col) break;
      if (nextCol === col && this.isDash(next)) {
        dash = next;
        continue;
      }
      if (nextCol === col && underKey) break;
      throw OUTSIDE;
    }
    seq.range = [at, end, end];
    return seq;
  }

  /** A block mapping whose first key starts at `at`, at column `col`. */
  private mapping(at: number, col: number): SimpleMap {
    const map = new SimpleMap(at);
    let keyAt = at;
    let end = at;
    for (;;) {
      const colon = this.keyColon(keyAt);
      if (colon < 0) throw OUTSIDE;
      let keyEnd = colon;
      while (this.s.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
      const key = this.scalar(this.s.slice(keyAt, keyEnd), 'PLAIN', keyAt, keyEnd);
      const q = this.skipSpaces(colon + 1);
      const c = this.s.charCodeAt(q);
      let value: SimpleNode;
      if (q >= this.len || c === NL || c === HASH) {
        this.endLine(q);
        const next = this.nextContent();
        const nextCol = next < 0 ? -1 : this.column(next);
        if (next >= 0 && nextCol > col) value = this.blockNode(next, col);
        else if (next >= 0 && nextCol === col && this.isDash(next)) value = this.sequence(next, col, true);
        else value = this.empty(q);
      } else {
        value = this.inline(q, col, false);
      }
      map.items.push(new SimplePair(key, value));
      end = value.range[2];
      const next = this.nextContent();
      const nextCol = next < 0 ? -1 : this.column(next);
      if (next < 0 || nextCol < col) break;
      if (nextCol === col && !this.isDash(next)) {
        keyAt = next;
        continue;
      }
      throw OUTSIDE;
    }
    map.range = [at, end, end];
    return map;
  }

  /** The node that starts at `at` after a `- ` or a key's `: `, in a parent indented `parent`. */
  private inline(at: number, parent: number, inSequence: boolean): SimpleNode {
    const c = this.s.charCodeAt(at);
    if (c === OPEN_BRACKET) {
      const seq = this.flowSequence(at, parent);
      this.endLine(seq.range?.[1] ?? at);
      return seq;
    }
    if (c === DQUOTE || c === SQUOTE) {
      const quoted = this.quoted(at);
      this.endLine(quoted.range?.[1] ?? at);
      return quoted;
    }
    if (c === 124 /* | */ || c === 62 /* > */) return this.blockScalar(at, parent);
    if (inSequence && this.keyColon(at) >= 0) {
      if (++this.depth > MAX_NESTING) throw OUTSIDE;
      const map = this.mapping(at, this.column(at));
      this.depth--;
      return map;
    }
    return this.plain(at, parent);
  }

  /** An empty node (yaml-cpp's and `yaml`'s null) at `at`. */
  private empty(at: number): SimpleScalar {
    return this.scalar('', 'PLAIN', at, at);
  }

  private scalar(value: string, type: Scalar.Type, start: number, end: number): SimpleScalar {
    return new SimpleScalar(value, type, start, end);
  }

  // ---- scalars

  /**
   * A plain scalar from `at`, continued on following lines indented more than `parent`. Lines
   * are folded as YAML folds them: one line break becomes a space, n blank lines n line breaks.
   */
  private plain(at: number, parent: number): SimpleScalar {
    if (!this.plainStart(at)) throw OUTSIDE;
    let { text, end, comment } = this.plainLine(at, this.lineEnd(at));
    let value = text;
    this.pos = Math.min(this.lineEnd(at) + 1, this.len);
    let blank = 0;
    while (!comment && this.pos < this.len) {
      const lineEnd = this.lineEnd(this.pos);
      const first = this.skipSpaces(this.pos);
      if (first >= lineEnd) {
        blank++;
        this.pos = Math.min(lineEnd + 1, this.len);
        continue;
      }
      if (first - this.pos <= parent) break;
      if (INDICATORS.has(this.s.charCodeAt(first))) throw OUTSIDE;
      const line = this.plainLine(first, lineEnd);
      value += blank === 0 ? ` ${line.text}` : '\n'.repeat(blank) + line.text;
      blank = 0;
      end = line.end;
      comment = line.comment;
      this.pos = Math.min(lineEnd + 1, this.len);
    }
    return this.scalar(value, 'PLAIN', at, end);
  }

  /** Whether a plain scalar may start at `at`: not an indicator, except a `-` that starts a word (`-1`, `--flag`). */
  private plainStart(at: number): boolean {
    const c = this.s.charCodeAt(at);
    if (!INDICATORS.has(c)) return true;
    return c === DASH && !INDICATORS.has(this.s.charCodeAt(at + 1)) && this.s.charCodeAt(at + 1) !== SPACE && at + 1 < this.len && this.s.charCodeAt(at + 1) !== NL;
  }

  /** One line of a plain scalar: its text up to a comment, without trailing spaces. */
  private plainLine(from: number, lineEnd: number): { text: string; end: number; comment: boolean } {
    let end = lineEnd;
    let comment = false;
    for (let i = from; i < lineEnd; i++) {
      const c = this.s.charCodeAt(i);
      if (c === HASH && i > from && this.s.charCodeAt(i - 1) === SPACE) {
        end = i;
        comment = true;
        break;
      }
      // a `: ` inside a plain value would start a nested mapping: `yaml` reports it
      if (c === COLON && (i + 1 >= lineEnd || this.s.charCodeAt(i + 1) === SPACE)) throw OUTSIDE;
    }
    while (end > from && this.s.charCodeAt(end - 1) === SPACE) end--;
    return { text: this.s.slice(from, end), end, comment };
  }

  /** A quoted scalar opening at `at` and closing on the same line. */
  private quoted(at: number): SimpleScalar {
    const quote = this.s.charCodeAt(at);
    const lineEnd = this.lineEnd(at);
    let value = '';
    let from = at + 1;
    for (let i = at + 1; i < lineEnd; i++) {
      const c = this.s.charCodeAt(i);
      if (quote === DQUOTE && c === BACKSLASH) {
        const escaped = ESCAPES[this.s[i + 1] ?? ''];
        if (escaped === undefined || i + 1 >= lineEnd) throw OUTSIDE;
        value += this.s.slice(from, i) + escaped;
        from = ++i + 1;
      } else if (c === quote) {
        if (quote === SQUOTE && this.s.charCodeAt(i + 1) === SQUOTE) {
          value += this.s.slice(from, i + 1);
          from = ++i + 1;
          continue;
        }
        value += this.s.slice(from, i);
        return this.scalar(value, quote === DQUOTE ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', at, i + 1);
      }
    }
    throw OUTSIDE;
  }

  /**
   * A literal (`|`) or folded (`>`) scalar whose header is at `at`, in a parent indented `parent`.
   * Clip (default) and strip (`-`) chomping; keep (`+`), explicit indentation, leading blank lines
   * and blank lines holding more spaces than the content's indentation go to `yaml`.
   */
  private blockScalar(at: number, parent: number): SimpleScalar {
    const literal = this.s.charCodeAt(at) === 124;
    let h = at + 1;
    const strip = this.s.charCodeAt(h) === DASH;
    if (strip) h++;
    const afterHeader = this.s.charCodeAt(h);
    if (h < this.len && afterHeader !== SPACE && afterHeader !== NL) throw OUTSIDE;
    this.endLine(h);
    const lines: string[] = [];
    let indent = -1;
    let end = this.pos;
    let blank = 0;
    while (this.pos < this.len) {
      const lineEnd = this.lineEnd(this.pos);
      const first = this.skipSpaces(this.pos);
      const spaces = first - this.pos;
      if (first >= lineEnd) {
        if (indent < 0 || spaces > indent) throw OUTSIDE;
        blank++;
        this.pos = Math.min(lineEnd + 1, this.len);
        continue;
      }
      if (indent < 0) {
        if (spaces <= parent) break;
        indent = spaces;
      } else if (spaces < indent) break;
      for (; blank > 0; blank--) lines.push('');
      lines.push(this.s.slice(this.pos + indent, lineEnd));
      end = Math.min(lineEnd + 1, this.len);
      this.pos = end;
    }
    if (lines.length === 0) throw OUTSIDE;
    // trailing blank lines are not part of the scalar (clip and strip drop them)
    this.pos = end;
    const body = literal ? lines.join('\n') : fold(lines);
    const value = strip ? body : `${body}\n`;
    return this.scalar(value, literal ? 'BLOCK_LITERAL' : 'BLOCK_FOLDED', at, end);
  }

  // ---- flow sequences

  /** A flow sequence of scalars and flow sequences opening at `at`; its lines indented more than `parent`. */
  private flowSequence(at: number, parent: number): SimpleSeq {
    if (++this.depth > MAX_NESTING) throw OUTSIDE;
    const seq = new SimpleSeq(at, true);
    let i = this.flowSpace(at + 1, parent);
    if (this.s.charCodeAt(i) !== CLOSE_BRACKET) {
      for (;;) {
        const c = this.s.charCodeAt(i);
        let item: SimpleNode;
        if (c === OPEN_BRACKET) item = this.flowSequence(i, parent);
        else if (c === DQUOTE || c === SQUOTE) item = this.quoted(i);
        else item = this.flowPlain(i);
        seq.items.push(item);
        i = this.flowSpace(item.range?.[1] ?? i, parent);
        const sep = this.s.charCodeAt(i);
        if (sep === CLOSE_BRACKET) break;
        if (sep !== COMMA) throw OUTSIDE;
        i = this.flowSpace(i + 1, parent);
        // a trailing comma, or two in a row
        if (this.s.charCodeAt(i) === CLOSE_BRACKET || this.s.charCodeAt(i) === COMMA) throw OUTSIDE;
      }
    }
    seq.range = [at, i + 1, i + 1];
    this.depth--;
    return seq;
  }

  /** Skips spaces and line breaks inside a flow collection; comments and shallow lines go to `yaml`. */
  private flowSpace(from: number, parent: number): number {
    let i = from;
    for (;;) {
      i = this.skipSpaces(i);
      const c = this.s.charCodeAt(i);
      if (i >= this.len || c === HASH) throw OUTSIDE;
      if (c !== NL) return i;
      const lineStart = i + 1;
      i = this.skipSpaces(lineStart);
      const next = this.s.charCodeAt(i);
      // a line inside must be indented more than the parent; the closing bracket may sit at its column
      const indent = i - lineStart;
      if (i < this.len && next !== NL && (indent < parent || (indent === parent && next !== CLOSE_BRACKET))) throw OUTSIDE;
    }
  }

  /** A plain scalar inside a flow sequence, on one line. */
  private flowPlain(at: number): SimpleScalar {
    if (!this.plainStart(at)) throw OUTSIDE;
    let i = at;
    for (; i < this.len; i++) {
      const c = this.s.charCodeAt(i);
      if (c === COMMA || c === CLOSE_BRACKET || c === NL) break;
      if (c === OPEN_BRACKET || c === 123 /* { */ || c === 125 /* } */) throw OUTSIDE;
      if (c === HASH && this.s.charCodeAt(i - 1) === SPACE) throw OUTSIDE;
      if (c === COLON) {
        const next = this.s.charCodeAt(i + 1);
        if (next === SPACE || next === NL || next === COMMA || next === CLOSE_BRACKET || next === OPEN_BRACKET || i + 1 >= this.len) throw OUTSIDE;
      }
    }
    let end = i;
    while (this.s.charCodeAt(end - 1) === SPACE) end--;
    return this.scalar(this.s.slice(at, end), 'PLAIN', at, end);
  }
}

/**
 * Folds the lines of a folded scalar: a line break between two lines of text becomes a space;
 * next to a more-indented line it stays; n blank lines between lines give n line breaks (n + 1
 * next to a more-indented line).
 */
function fold(lines: readonly string[]): string {
  let out = lines[0] ?? '';
  let blank = 0;
  let previousMore = out.charCodeAt(0) === SPACE;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') {
      blank++;
      continue;
    }
    const more = line.charCodeAt(0) === SPACE;
    if (previousMore || more) out += '\n'.repeat(blank + 1);
    else out += blank === 0 ? ' ' : '\n'.repeat(blank);
    out += line;
    blank = 0;
    previousMore = more;
  }
  return out;
}
