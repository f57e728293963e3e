/**
 * String escaping of the filter language (libs `filter/escaping.cpp`): quoted values are
 * unescaped by the parser, and the canonical form re-quotes values that need it.
 */
export class EscapeError extends Error {}

const UNESCAPED: Readonly<Record<string, string>> = {
  b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', ' ': '\\', '\\': '\\', '/': '/',
};

/** Unescapes a quoted token, quotes included (`"a\"b"` → `a"b`). */
export function unescapeQuoted(token: string): string {
  const quote = token[0];
  let out = '';
  let escaped = false;
  for (let i = 1; i < token.length - 1; i++) {
    const c = token[i] ?? '';
    if (!escaped) {
      if (c === '\\') escaped = true;
      else out += c;
      continue;
    }
    escaped = false;
    const mapped = UNESCAPED[c];
    if (mapped !== undefined) {
      // libs maps an escaped space to a backslash (kept for old rules that escaped spaces)
      out += mapped;
    } else if (c === '"' || c === "'") {
      if (c !== quote) {
        throw new EscapeError(
          c === '"' ? "invalid \\\" escape in '-quoted string" : 'invalid \\\' escape in "-quoted string',
        );
      }
      out += c;
    } else {
      throw new EscapeError(`unsupported string escape sequence: \\${c}`);
    }
  }
  return out;
}

const NEEDS_QUOTES = /[\b\f\n\r\t =\\"']/;

/** Quotes a value for the canonical condition string when it holds blanks, `=`, quotes or escapes. */
export function escapeValue(value: string): string {
  if (!NEEDS_QUOTES.test(value)) return value;
  let out = '';
  for (const c of value) {
    switch (c) {
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      default: out += c;
    }
  }
  return `"${out}"`;
}
