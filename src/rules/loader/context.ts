import { falcoByteLength } from '../encoding.ts';
/**
 * Where a load error or warning happened, kept the way Falco's rule_loader::context keeps it: a
 * chain of locations from the whole file down to the failing item, with 0-based YAML marks.
 */
export const ITEM_TYPES = [
  'value for', 'exceptions', 'exception', 'exception values', 'exception value', 'rules content',
  'rules content item', 'required_engine_version', 'required plugin versions',
  'required plugin versions entry', 'required plugin versions alternative', 'list', 'list item',
  'macro', 'macro condition', 'rule', 'rule condition', 'condition expression', 'rule output',
  'rule output expression', 'rule priority', 'overrides', 'extension item',
] as const;

export type ItemType = (typeof ITEM_TYPES)[number];

/**
 * A YAML mark as Falco prints it: 0-based line, column and offset counted in bytes (yaml-cpp
 * reads bytes). `index` is the same place in the decoded text (UTF-16 units) when it differs,
 * for cutting snippets.
 */
export interface Mark {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly index?: number;
}

/** Where a mark points in the decoded text. */
export const textIndex = (mark: Mark): number => mark.index ?? mark.offset;

export interface Location {
  readonly itemType: ItemType;
  readonly itemName: string;
  /** The file name, or for a condition expression the quoted start of the condition. */
  readonly name: string;
  readonly mark: Mark;
}

export interface Context {
  readonly locations: readonly Location[];
  /** For condition expressions: the condition text that snippets are cut from. */
  readonly altContent?: string;
}

const ORIGIN: Mark = { line: 0, column: 0, offset: 0 };

export function fileContext(fileName: string): Context {
  return { locations: [{ itemType: 'rules content', itemName: '', name: fileName, mark: ORIGIN }] };
}

export function fileName(ctx: Context): string {
  return ctx.locations[0]?.name ?? '';
}

export function childContext(parent: Context, mark: Mark, itemType: ItemType, itemName = ''): Context {
  return { locations: [...parent.locations, { itemType, itemName, name: fileName(parent), mark }] };
}

/** The parser's 1-based position, added to the parent's 0-based mark exactly as Falco does. */
export interface ParserPos {
  readonly idx: number;
  readonly line: number;
  readonly col: number;
}

export function conditionContext(pos: ParserPos, condition: string, parent: Context): Context {
  const short = condition.length > 20 ? `${condition.slice(0, 17)}..."` : `${condition}"`;
  const name = `"${short}`.replace(/[\n\r]/g, ' ');
  const last = parent.locations[parent.locations.length - 1]?.mark ?? ORIGIN;
  // the parser counts characters; Falco's parser counts bytes
  const before = condition.slice(0, pos.idx);
  const lineStart = before.lastIndexOf('\n') + 1;
  const extra = falcoByteLength(before) - before.length;
  const extraInLine = falcoByteLength(before.slice(lineStart)) - (before.length - lineStart);
  const mark: Mark = {
    offset: pos.idx + extra + last.offset,
    line: pos.line + last.line,
    column: pos.col + extraInLine + last.column,
    ...(extra !== 0 || last.index !== undefined ? { index: pos.idx + textIndex(last) } : {}),
  };
  return {
    locations: [...parent.locations, { itemType: 'condition expression', itemName: '', name, mark }],
    altContent: condition,
  };
}
