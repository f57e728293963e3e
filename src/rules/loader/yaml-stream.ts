import { isNode, parseAllDocuments, Parser, visit } from 'yaml';
import type { CST, Document } from 'yaml';
import { parseSimpleYaml } from './yaml-simple.ts';
import type { YDocument } from './yaml-nodes.ts';

/**
 * Parses a rules file into documents as yaml-cpp 0.8 splits and reads it, where it is more
 * lenient than the `yaml` package (facts from yaml-cpp's scanner and parser, measured against
 * both real Falco builds):
 *
 * - a quoted scalar runs to its closing quote whatever the indentation of its continuation lines
 *   (yaml-cpp scans quoted scalars with no indentation requirement), and to the end of the file
 *   when the file ends with a line break before any closing quote;
 * - once a document's root node is complete, what follows starts the next document even without
 *   a `---` line (`- a` then `b: c` at column 0 is two documents).
 *
 * The text handed to `yaml` is the file with spaces put in front of under-indented continuation
 * lines (and a closing quote at the end when yaml-cpp ends a scalar there); every offset in the
 * result is mapped back onto the original file, so marks and snippets still point at its bytes.
 */

/** How the loader has `yaml` read rules files (yaml-cpp's view: every scalar a string, duplicate keys kept). */
export const YAML_PARSE_OPTIONS = { schema: 'failsafe', uniqueKeys: false, merge: false, strict: false, prettyErrors: false } as const;

interface Insert {
  /** Offset in the original content at which the text is inserted. */
  readonly at: number;
  readonly text: string;
}

const MAX_REPAIRS = 32;
const MAX_SPLITS = 64;

function applyInserts(content: string, inserts: readonly Insert[]): string {
  let out = '';
  let from = 0;
  for (const ins of inserts) {
    out += content.slice(from, ins.at) + ins.text;
    from = ins.at;
  }
  return out + content.slice(from);
}

/** Maps an offset in the repaired text back onto the original content. */
function toOriginal(offset: number, inserts: readonly Insert[]): number {
  let added = 0;
  for (const ins of inserts) {
    const start = ins.at + added;
    if (offset < start) break;
    if (offset < start + ins.text.length) return ins.at;
    added += ins.text.length;
  }
  return offset - added;
}

/** Whether a quoted scalar's source (from its opening quote) ends with its closing quote. */
function closes(source: string): boolean {
  const quote = source[0];
  for (let i = 1; i < source.length; i++) {
    const ch = source[i];
    if (quote === '"' && ch === '\\') i++;
    else if (quote === "'" && ch === "'" && source[i + 1] === "'") i++;
    else if (ch === quote) return i === source.length - 1;
  }
  return false;
}

/** The offset of the first quoted scalar `yaml` ends before its closing quote. */
function firstUnclosedQuote(text: string): number | undefined {
  const stack: CST.Token[] = [...new Parser().parse(text)].reverse();
  while (stack.length > 0) {
    const token = stack.pop() as CST.Token;
    if (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') {
      if (!closes(token.source)) return token.offset;
      continue;
    }
    if (token.type === 'document' && token.value !== undefined) stack.push(token.value);
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      const children: CST.Token[] = [];
      for (const item of token.items) {
        for (const child of [item.key, item.value]) if (child !== undefined && child !== null) children.push(child);
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as CST.Token);
    }
  }
  return undefined;
}

function isDocIndicator(text: string, at: number): boolean {
  const three = text.slice(at, at + 3);
  return (three === '---' || three === '...') && /^[ \t\r\n]?$/.test(text[at + 3] ?? '');
}

/**
 * The inserts that make `yaml` read the quoted scalar opening at `open` (an offset in the
 * repaired text) the way yaml-cpp does; undefined when yaml-cpp refuses it as well (a document
 * indicator inside it, or the end of the file in the middle of a line).
 */
function quoteRepair(text: string, open: number): Array<{ at: number; text: string }> | undefined {
  const quote = text[open];
  const lineStart = text.lastIndexOf('\n', open - 1) + 1;
  const target = open - lineStart + 1;
  const inserts: Array<{ at: number; text: string }> = [];
  let i = open + 1;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quote === '"' && ch === '\\') {
      // an escaped line break still starts a continuation line
      if (text[i + 1] !== '\n') i++;
      continue;
    }
    if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return inserts;
    }
    if (ch !== '\n') continue;
    const next = i + 1;
    if (next >= text.length) break;
    if (isDocIndicator(text, next)) return undefined;
    let spaces = 0;
    while (text[next + spaces] === ' ') spaces++;
    const rest = text[next + spaces];
    if (rest === '\n' || rest === '\r' || spaces >= target) continue;
    inserts.push({ at: next, text: ' '.repeat(target - spaces) });
  }
  // the end of the file: yaml-cpp ends the scalar there only right after a line break
  if (text[text.length - 1] !== '\n') return undefined;
  inserts.push({ at: text.length, text: `${' '.repeat(target)}${quote}` });
  return inserts;
}

function firstError(docs: readonly Document.Parsed[]): { code: string; message: string; pos: number } | undefined {
  for (const doc of docs) {
    const e = doc.errors.find((x) => !x.message.startsWith('Missing directives-end'));
    if (e !== undefined) return { code: e.code, message: e.message, pos: e.pos[0] };
  }
  return undefined;
}

/** Repairs quoted scalars one by one, as long as `yaml` stops at one that yaml-cpp reads. */
function repairQuotes(content: string, firstParse: Document.Parsed[]): { text: string; inserts: Insert[]; parsed: Document.Parsed[] | undefined } {
  const inserts: Insert[] = [];
  let text = content;
  // the parse of the text as it stands, while it is still the one to use
  let parsed: Document.Parsed[] | undefined = firstParse;
  for (let round = 0; round < MAX_REPAIRS; round++) {
    parsed ??= parseAllDocuments(text, YAML_PARSE_OPTIONS) as Document.Parsed[];
    const error = firstError(parsed);
    if (error === undefined || error.code !== 'MISSING_CHAR' || !/quote/.test(error.message)) break;
    const open = firstUnclosedQuote(text);
    const repair = open === undefined ? undefined : quoteRepair(text, open);
    if (repair === undefined || repair.length === 0) break;
    // offsets of this round's repair are in this round's text: map them before adding any
    const mapped = repair.map((r) => ({ at: toOriginal(r.at, inserts), text: r.text }));
    inserts.push(...mapped);
    inserts.sort((a, b) => a.at - b.at);
    text = applyInserts(content, inserts);
    parsed = undefined;
  }
  return { text, inserts, parsed };
}

/** Where yaml-cpp starts a new document without a `---`: the first token after a complete root. */
function implicitDocumentStart(text: string, docs: readonly Document.Parsed[]): number | undefined {
  for (const doc of docs) {
    const e = doc.errors[0];
    if (e === undefined) continue;
    if (e.code !== 'UNEXPECTED_TOKEN' || !e.message.startsWith('Unexpected scalar at node end')) return undefined;
    const pos = e.pos[0];
    const root = doc.contents;
    // only at column 0 after a root block collection (a flow root or a scalar ends differently)
    if (pos === 0 || text[pos - 1] !== '\n' || !isNode(root) || root.range === undefined) return undefined;
    if (text[root.range[0]] === '[' || text[root.range[0]] === '{') return undefined;
    return pos;
  }
  return undefined;
}

function shiftAndMap(docs: Document.Parsed[], shift: number, inserts: readonly Insert[]): void {
  const map = (o: number): number => toOriginal(o + shift, inserts);
  for (const doc of docs) {
    doc.range = [map(doc.range[0]), map(doc.range[1]), map(doc.range[2])];
    for (const e of doc.errors) e.pos = [map(e.pos[0]), map(e.pos[1])];
    for (const w of doc.warnings) w.pos = [map(w.pos[0]), map(w.pos[1])];
    visit(doc, (_, node) => {
      if (isNode(node) && node.range !== undefined && node.range !== null) {
        node.range = [map(node.range[0]), map(node.range[1]), map(node.range[2])];
      }
    });
  }
}

/**
 * yaml-cpp skips one byte-order mark at the start of the stream; anywhere else it is an
 * ordinary character of a plain scalar, where `yaml` takes it for a document prefix. A private-use
 * character of the same length stands in for it while `yaml` reads, and is turned back in values.
 */
const BOM = '\uFEFF';
const BOM_STAND_IN = '\uE000';

function restoreBoms(docs: readonly Document.Parsed[]): void {
  for (const doc of docs) {
    visit(doc, {
      Scalar(_, node) {
        if (typeof node.value === 'string' && node.value.includes(BOM_STAND_IN)) node.value = node.value.replaceAll(BOM_STAND_IN, BOM);
        if (typeof node.source === 'string' && node.source.includes(BOM_STAND_IN)) node.source = node.source.replaceAll(BOM_STAND_IN, BOM);
      },
    });
  }
}

/**
 * `content` is a file without its stream byte-order mark (the caller strips the first one, as
 * yaml-cpp's reader does); any other is a character.
 */
export function parseDocuments(content: string): YDocument[] {
  // the plain shape nearly every rules file has, read without `yaml`'s full parser
  const simple = parseSimpleYaml(content);
  if (simple !== undefined) return simple;
  const strayBoms = content.includes(BOM);
  const text = content.includes('\0') ? nulLineBreaks(content) : content;
  const docs = parseRepaired(strayBoms ? text.replaceAll(BOM, BOM_STAND_IN) : text);
  if (strayBoms) restoreBoms(docs);
  return docs;
}

/**
 * A NUL that starts a plain scalar (the first token of a line, or right after `- `) followed by
 * `r` or `n`: yaml-cpp scans it as the escape of a carriage return or line feed and breaks the
 * line there (`- \0rule: x` is `- ` then `rule: x` on a line of its own: "illegal map value",
 * measured on Falco 0.44.1). Replaced by a line feed, one character for one, so offsets hold.
 */
function nulLineBreaks(content: string): string {
  return content.replace(/(^|\n)([ \t]*(?:- +)*)\0(?=[rn])/g, '$1$2\n');
}

function parseRepaired(content: string): Document.Parsed[] {
  // one parse for the common case: the file as it is, with no error to look into
  const first = parseAllDocuments(content, YAML_PARSE_OPTIONS) as Document.Parsed[];
  if (firstError(first) === undefined) return first;
  const { text, inserts, parsed: repaired } = repairQuotes(content, first);
  const needsMapping = inserts.length > 0;
  const docs: Document.Parsed[] = [];
  let from = 0;
  for (let split = 0; ; split++) {
    const part = from === 0 ? text : text.slice(from);
    const parsed = from === 0 && repaired !== undefined ? repaired : (parseAllDocuments(part, YAML_PARSE_OPTIONS) as Document.Parsed[]);
    const at = split < MAX_SPLITS ? implicitDocumentStart(part, parsed) : undefined;
    if (at === undefined) {
      if (needsMapping || from > 0) shiftAndMap(parsed, from, inserts);
      docs.push(...parsed);
      return docs;
    }
    const head = parseAllDocuments(part.slice(0, at), YAML_PARSE_OPTIONS) as Document.Parsed[];
    shiftAndMap(head, from, inserts);
    docs.push(...head);
    from += at;
  }
}
