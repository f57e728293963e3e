import type { Document, YAMLError } from 'yaml';
import { falcoByteLength } from '../encoding.ts';
import { isAlias, isPair, isScalar, someNode } from './yaml-nodes.ts';
import type { YDocument } from './yaml-nodes.ts';

export interface CppError {
  readonly message: string;
  readonly offset: number;
}

/** yaml-cpp's 1-based line and column (in bytes) of an offset in the decoded text. */
function cppPosition(content: string, offset: number): { line: number; column: number } {
  const before = content.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: falcoByteLength(before.slice(before.lastIndexOf('\n') + 1)) + 1 };
}

export function cppMessage(content: string, offset: number, text: string): CppError {
  const { line, column } = cppPosition(content, offset);
  return { message: `yaml-cpp: error at line ${line}, column ${column}: ${text}`, offset };
}

/**
 * `%YAML` directives as yaml-cpp checks them: a second one before the same document is
 * "repeated", a major version above 1 is "too large" (reported at the directive).
 */
export function directiveError(content: string): CppError | undefined {
  if (!content.includes('%YAML')) return undefined;
  let seen = false;
  let offset = 0;
  for (const line of content.split('\n')) {
    if (line.startsWith('---')) seen = false;
    const m = /^%YAML[ \t]+(\d+)/.exec(line);
    if (m) {
      if (seen) return cppMessage(content, offset, 'repeated YAML directive');
      seen = true;
      if (Number(m[1]) > 1) return cppMessage(content, offset, 'YAML major version too large');
    }
    offset += line.length + 1;
  }
  return undefined;
}

/** An alias whose anchor is not defined before it (yaml-cpp refuses it while parsing). */
export function undefinedAliasError(content: string, docs: readonly YDocument[]): CppError | undefined {
  if (!content.includes('*')) return undefined;
  let found: CppError | undefined;
  for (const doc of docs) {
    someNode(doc, (node) => {
      // only `yaml` makes aliases, so a document holding one is `yaml`'s
      if (!isAlias(node) || node.resolve(doc as Document) !== undefined) return false;
      found = cppMessage(content, node.range?.[0] ?? 0, `the referenced anchor is not defined: ${node.source}`);
      return true;
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A mapping key that is itself a collection: yaml-cpp cannot convert it to a string. */
export function nonScalarKeyError(content: string, docs: readonly YDocument[]): CppError | undefined {
  if (!content.includes('?') && !content.includes('{') && !content.includes('[')) return undefined;
  let found: CppError | undefined;
  for (const doc of docs) {
    someNode(doc, (pair) => {
      if (!isPair(pair)) return false;
      const key = pair.key;
      if (key === null || typeof key !== 'object' || isScalar(key) || isAlias(key)) return false;
      const range = (key as { range?: [number, number, number] }).range;
      found = cppMessage(content, range?.[0] ?? 0, 'bad conversion');
      return true;
    });
    if (found !== undefined) return found;
  }
  return undefined;
}


/**
 * Turns a `yaml` package parse error into the yaml-cpp message Falco prints
 * ("yaml-cpp: error at line L, column C: <msg>", 1-based). yaml-cpp reports an illegal mapping
 * value at the offending ':', where `yaml` reports the start of the implicit key, so the position
 * moves to that colon. Errors without a known yaml-cpp equivalent keep `yaml`'s own wording.
 */
export function yamlCppError(content: string, error: YAMLError): { message: string; offset: number } {
  if (error.message.includes('Maximum call stack size exceeded')) {
    return { message: 'rules content nests too deeply to be parsed', offset: 0 };
  }
  const start = error.pos[0];
  let offset = start;
  let text: string;
  const first = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
  const lineStartOf = (at: number): number => content.lastIndexOf('\n', at - 1) + 1;
  const firstTokenOf = (at: number): number => lineStartOf(at) + (/^[ \t]*/.exec(content.slice(lineStartOf(at)))?.[0].length ?? 0);
  // a `- ` line at the indentation of a block map: yaml-cpp's map finds a block entry there
  const entryInMap = error.code === 'BLOCK_AS_IMPLICIT_KEY' && first.startsWith('A block sequence may not be used as an implicit map key');
  switch (entryInMap ? 'ENTRY_IN_MAP' : error.code) {
    case 'ENTRY_IN_MAP':
      offset = firstTokenOf(start);
      text = 'end of map not found';
      break;
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      const colon = /:(?=[ \t\r\n]|$)/g;
      colon.lastIndex = start;
      offset = colon.exec(content)?.index ?? start;
      text = 'illegal map value';
      break;
    }
    case 'BAD_INDENT':
      text = first.startsWith('Flow sequence')
        ? 'end of sequence flow not found'
        : first.startsWith('Flow map')
          ? 'end of map flow not found'
          : first;
      break;
    case 'MISSING_CHAR': {
      if (!first.startsWith('Sequence item without - indicator')) {
        text = /quote/.test(first) ? 'illegal EOF in scalar' : first;
        break;
      }
      // a line indented between a sequence and its items' maps: a key there is a map the
      // sequence cannot hold; anything else continues a plain scalar up to the next ':'
      const token = firstTokenOf(start);
      const lineEnd = content.indexOf('\n', token);
      const line = content.slice(token, lineEnd < 0 ? content.length : lineEnd);
      if (/^[^\s#'"[{][^#]*?:(\s|$)/.test(line)) {
        offset = token;
        text = 'end of sequence not found';
      } else {
        const colon = /:(?=[ \t\r\n]|$)/g;
        colon.lastIndex = token;
        offset = colon.exec(content)?.index ?? token;
        text = 'illegal map value';
      }
      break;
    }
    case 'TAB_AS_INDENT': {
      // yaml-cpp passes the tab and then refuses a block entry there
      const token = firstTokenOf(start);
      if (content[token] === '-' && /^[ \n\r]?$/.test(content[token + 1] ?? '')) {
        offset = token;
        text = 'illegal block entry';
      } else text = 'illegal tab when looking for indentation';
      break;
    }
    case 'BAD_SCALAR_START':
      text = 'unknown token';
      break;
    case 'MULTIPLE_ANCHORS':
      text = 'cannot assign multiple anchors to the same node';
      break;
    case 'MULTIPLE_TAGS':
      text = 'cannot assign multiple tags to the same node';
      break;
    case 'BAD_DQ_ESCAPE': {
      const escape = dqEscapeError(content, start);
      text = escape.text;
      offset = escape.offset;
      break;
    }
    default:
      text = /^Unexpected flow-(seq|map)-end token/.test(first)
        ? 'illegal flow end'
        : first.startsWith('Block collections are not allowed within flow collections')
          ? 'illegal block entry'
          : first;
  }
  // yaml-cpp stops at a tab in a line's indentation before anything else on that line
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(content.slice(lineStart))?.[0] ?? '';
  if (indent.includes('\t') && offset <= lineStart + indent.length + 1 && error.code !== 'TAB_AS_INDENT') {
    text = 'illegal tab when looking for indentation';
    offset = lineStart;
  } else if (first === 'Unexpected scalar at node end') {
    text = 'unexpected scalar';
  } else if (first.startsWith('Unexpected block-seq-ind on same line with key')) {
    text = 'illegal block entry';
  } else if (first.startsWith('All mapping items must start at the same column') || first.startsWith('All sequence items must start at the same column')) {
    text = first.startsWith('All mapping') ? 'end of map not found' : 'end of sequence not found';
    // yaml-cpp marks the token it found there, past blank and comment lines
    offset = nextToken(content, lineStart);
  }
  const { line, column } = cppPosition(content, offset);
  return { message: `yaml-cpp: error at line ${line}, column ${column}: ${text}`, offset };
}

const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
const SIMPLE_ESCAPES = new Set([...'0abtnvfre "/\\N_LP', '\t', ' ']);

/**
 * yaml-cpp's complaint about the escape at or after `from` in a double-quoted scalar: a bad hex
 * digit ("bad character found while scanning hex number") or an unknown escape letter, reported
 * one character past the offending one.
 */
function dqEscapeError(content: string, from: number): { text: string; offset: number } {
  for (let i = content.indexOf('\\', from); i >= 0 && i < content.length; i = content.indexOf('\\', i + 2)) {
    const letter = content[i + 1] ?? '';
    const digits = HEX_DIGITS[letter];
    if (digits !== undefined) {
      for (let k = 0; k < digits; k++) {
        if (!/[0-9a-fA-F]/.test(content[i + 2 + k] ?? '')) {
          // yaml-cpp reads all the digits first, then refuses them (marked after the last)
          return { text: 'bad character found while scanning hex number', offset: i + 2 + digits };
        }
      }
      continue;
    }
    if (letter === '\n' || SIMPLE_ESCAPES.has(letter)) continue;
    return { text: `unknown escape character: ${letter}`, offset: i + 2 };
  }
  return { text: 'unknown escape character', offset: from };
}

/** yaml-cpp's longest simple (implicit) key; a longer one leaves its ':' as an "illegal map value". */
const MAX_SIMPLE_KEY = 1024;

/** Whether a line is longer than the longest simple key (an implicit key never spans lines). */
function hasLongLine(content: string): boolean {
  let start = 0;
  for (let nl = content.indexOf('\n'); nl >= 0; nl = content.indexOf('\n', start)) {
    if (nl - start > MAX_SIMPLE_KEY) return true;
    start = nl + 1;
  }
  return content.length - start > MAX_SIMPLE_KEY;
}

export function longKeyError(content: string, docs: readonly YDocument[]): CppError | undefined {
  if (content.length <= MAX_SIMPLE_KEY || !hasLongLine(content)) return undefined;
  let found: CppError | undefined;
  for (const doc of docs) {
    someNode(doc, (pair) => {
      if (!isPair(pair)) return false;
      const key = pair.key;
      if (!isScalar(key) || key.range === undefined || key.range === null) return false;
      const [start, end] = key.range;
      if (end - start <= MAX_SIMPLE_KEY || content[start - 2] === '?') return false;
      const colon = content.indexOf(':', end);
      found = cppMessage(content, colon < 0 ? end : colon, 'illegal map value');
      return true;
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A NUL character in a plain or block scalar: yaml-cpp scans those with the escape character
 * set to NUL, so NUL starts an escape sequence there, and an unknown one stops the parse
 * ("unknown escape character: o", marked after the letter). Inside quotes or comments it is an
 * ordinary character.
 */
export function nulEscapeError(content: string, docs: readonly YDocument[]): CppError | undefined {
  const first = content.indexOf('\0');
  if (first < 0) return undefined;
  let found: CppError | undefined;
  const check = (node: unknown): CppError | undefined => {
    if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
    if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return undefined;
    const [start, end] = node.range;
    const at = content.indexOf('\0', start);
    if (at < 0 || at >= end) return undefined;
    const letter = content[at + 1] ?? '';
    const digits = HEX_DIGITS[letter];
    if (digits !== undefined) {
      for (let k = 0; k < digits; k++) {
        if (!/[0-9a-fA-F]/.test(content[at + 2 + k] ?? '')) return cppMessage(content, at + 2 + digits, 'bad character found while scanning hex number');
      }
      return undefined;
    }
    if (letter === '\n' || SIMPLE_ESCAPES.has(letter)) return undefined;
    return cppMessage(content, at + 2, `unknown escape character: ${letter}`);
  };
  for (const doc of docs) {
    someNode(doc, (node) => (found = check(node)) !== undefined);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The first offset from `from` that is neither white space, a line break nor a comment. */
export function nextToken(content: string, from: number): number {
  let i = from;
  while (i < content.length) {
    const ch = content[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') i++;
    else if (ch === '#') {
      const nl = content.indexOf('\n', i);
      i = nl < 0 ? content.length : nl;
    } else break;
  }
  return i;
}
