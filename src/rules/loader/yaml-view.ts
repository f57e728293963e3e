import type { Document } from 'yaml';
import type { Mark } from './context.ts';
import { isAlias, isMap, isScalar, isSeq } from './yaml-nodes.ts';
import type { YDocument, YMap, YScalar, YSeq } from './yaml-nodes.ts';
import { nextToken } from './yaml-errors.ts';
import { parseDocuments } from './yaml-stream.ts';
import { falcoByteLength } from '../encoding.ts';

/**
 * The rules document seen the way yaml-cpp shows it to Falco: every scalar is a string (the
 * failsafe schema), duplicate keys are allowed and the first one wins, plain `~`/`null`/empty
 * scalars are null, aliases resolve to their anchored node. Alias resolutions are counted so
 * that an alias bomb cannot make a walk exponential.
 */
export type YNode = YScalar | YMap | YSeq;

export class YamlLimitError extends Error {}

const NULL_SOURCES = new Set(['', '~', 'null', 'Null', 'NULL']);

/** Offsets of line starts, shared by every document of a file. */
export function lineStarts(content: string): number[] {
  const starts = [0];
  for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** How many alias resolutions are left for the whole file. */
export interface AliasBudget {
  remaining: number;
}

export class YamlView {
  private readonly lineStarts: readonly number[];
  private readonly doc: YDocument | undefined;
  private readonly budget: AliasBudget;
  /** The file's text, to find a node's tag or anchor (yaml-cpp marks a node where they start). */
  private readonly content: string | undefined;

  constructor(starts: readonly number[], doc: YDocument | undefined, budget: AliasBudget, content?: string) {
    this.lineStarts = starts;
    this.doc = doc;
    this.budget = budget;
    this.content = content;
  }

  /** A node with aliases followed; null for a missing node. */
  resolve(node: unknown): YNode | null {
    let current = node;
    while (isAlias(current)) {
      if (--this.budget.remaining < 0) {
        throw new YamlLimitError('rules content expands too many YAML aliases');
      }
      // only `yaml` makes aliases, so a document holding one is `yaml`'s
      current = this.doc === undefined ? undefined : current.resolve(this.doc as Document);
    }
    if (isScalar(current) || isMap(current) || isSeq(current)) return current;
    return null;
  }

  /** The value under `key`: undefined when the key is absent, null when it has no value node. */
  get(map: YMap, key: string): YNode | null | undefined {
    for (const pair of map.items) {
      const k = this.resolve(pair.key);
      if (isScalar(k) && String(k.value) === key) return this.resolve(pair.value);
    }
    return undefined;
  }

  has(map: YMap, key: string): boolean {
    return this.get(map, key) !== undefined;
  }

  isNull(node: YNode | null | undefined): boolean {
    if (node === null) return true;
    if (!isScalar(node)) return false;
    // yaml-cpp makes an empty node with an explicit tag (`comps: [!=]`) an empty string, not null
    if (node.tag !== undefined && String(node.source ?? node.value) === '') return false;
    return node.type === 'PLAIN' && NULL_SOURCES.has(String(node.source ?? node.value));
  }

  /** The string of a non-null scalar, undefined otherwise. */
  scalar(node: YNode | null | undefined): string | undefined {
    if (node === null || node === undefined || !isScalar(node) || this.isNull(node)) return undefined;
    return String(node.value);
  }

  items(node: YSeq): Array<YNode | null> {
    return node.items.map((item) => this.resolve(item));
  }

  pairs(map: YMap): Array<[YNode | null, YNode | null]> {
    return map.items.map((p) => [
      this.resolve(p.key),
      this.resolve(p.value),
    ]);
  }

  markAt(offset: number): Mark {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.lineStarts[lo] ?? 0;
    const column = offset - lineStart;
    const bytes = this.lineByteStarts();
    if (bytes === undefined || this.content === undefined) return { line: lo, column, offset };
    // yaml-cpp counts bytes: a line's start in bytes, plus the bytes of the line before the mark
    const byteColumn = falcoByteLength(this.content.slice(lineStart, offset));
    const byteOffset = (bytes[lo] ?? 0) + byteColumn;
    return byteOffset === offset ? { line: lo, column, offset } : { line: lo, column: byteColumn, offset: byteOffset, index: offset };
  }

  #lineBytes: number[] | null | undefined;

  /** Byte offsets of line starts; undefined for text that is all ASCII (bytes = characters). */
  private lineByteStarts(): number[] | undefined {
    if (this.#lineBytes === undefined) {
      const text = this.content;
      if (text === undefined || !/[^\x00-\x7f]/.test(text)) this.#lineBytes = null;
      else {
        const starts = [0];
        for (let i = 1; i < this.lineStarts.length; i++) {
          const prev = this.lineStarts[i - 1] ?? 0;
          starts.push((starts[i - 1] ?? 0) + falcoByteLength(text.slice(prev, this.lineStarts[i] ?? prev)));
        }
        this.#lineBytes = starts;
      }
    }
    return this.#lineBytes ?? undefined;
  }

  mark(node: YNode | null | undefined): Mark {
    const start = node?.range?.[0] ?? 0;
    if (node === null || node === undefined) return this.markAt(start);
    if (node.tag !== undefined || node.anchor !== undefined) return this.markAt(this.propertiesStart(start));
    // an empty node has no token of its own: yaml-cpp marks it with the next token (or the end)
    if (isScalar(node) && node.source === '') return this.markAt(this.nextTokenStart(start));
    return this.markAt(start);
  }

  /** The first offset from `from` that is neither white space, a line break nor a comment. */
  private nextTokenStart(from: number): number {
    return this.content === undefined ? from : nextToken(this.content, from);
  }


  /** Where a node's tag and anchor begin, before `start` (where `yaml` starts the node itself). */
  private propertiesStart(start: number): number {
    const text = this.content;
    if (text === undefined) return start;
    let at = start;
    for (let n = 0; n < 2; n++) {
      let i = at - 1;
      while (i >= 0 && /[ \t\r\n]/.test(text[i] ?? '')) i--;
      let tokenStart = i;
      while (tokenStart > 0 && !/[ \t\r\n[{,]/.test(text[tokenStart - 1] ?? '')) tokenStart--;
      const first = text[tokenStart];
      if (i < 0 || (first !== '!' && first !== '&')) break;
      at = tokenStart;
    }
    return at;
  }

  /** The mark of a map key (yaml-cpp marks override entries by their key). */
  keyMark(map: YMap, key: string): Mark {
    for (const pair of map.items) {
      const k = this.resolve(pair.key);
      if (isScalar(k) && String(k.value) === key) return this.mark(k);
    }
    return this.mark(map);
  }
}

export interface ParsedYaml {
  readonly docs: YDocument[];
}

/**
 * Parsed documents of recently seen contents. Bundles re-validate the same base files (the
 * published rules) with every candidate, and YAML parsing is most of the cost; the documents are
 * only read, never changed, so sharing them is safe.
 */
const recent = new Map<string, ParsedYaml>();
const RECENT_MAX = 8;

export function parseYamlCached(content: string): ParsedYaml {
  const hit = recent.get(content);
  if (hit !== undefined) {
    recent.delete(content);
    recent.set(content, hit);
    return hit;
  }
  const parsed = parseYaml(content);
  recent.set(content, parsed);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value ?? '');
  return parsed;
}

/** Parses every document as yaml-cpp splits and reads them; the caller reports the first error. */
export function parseYaml(content: string): ParsedYaml {
  return { docs: parseDocuments(content) };
}

export { isMap, isScalar, isSeq };
