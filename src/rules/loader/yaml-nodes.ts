import type { Alias, Scalar, YAMLError, YAMLWarning } from 'yaml';

/**
 * The YAML nodes the loader reads, as shapes rather than the `yaml` package's classes: the
 * documents `yaml` composes and the lighter ones the simple reader (yaml-simple.ts) builds both fit
 * them, so a command that reads only plain rules files never loads `yaml` (src/build/bundle.ts,
 * packagesOnDemand; docs/benchmarks.md, Footprint).
 *
 * `yaml` marks each node's kind under a key in the global symbol registry; the nodes made here
 * carry the same marks, so `yaml`'s own checks (`isScalar`, `visit`, …) and the ones below agree
 * on nodes from either side.
 */
const NODE_TYPE = Symbol.for('yaml.node.type');
const SCALAR = Symbol.for('yaml.scalar');
const MAP = Symbol.for('yaml.map');
const SEQ = Symbol.for('yaml.seq');
const PAIR = Symbol.for('yaml.pair');
const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');

/** Where a node starts, where its value ends, where the node ends (offsets in the text read). */
export type Range = [number, number, number];

export interface YScalar {
  value: unknown;
  source?: string;
  type?: Scalar.Type;
  range?: Range | null;
  tag?: string;
  anchor?: string;
}

export interface YPair {
  key: unknown;
  value: unknown;
}

export interface YMap {
  items: YPair[];
  range?: Range | null;
  tag?: string;
  anchor?: string;
  flow?: boolean;
}

export interface YSeq {
  items: unknown[];
  range?: Range | null;
  tag?: string;
  anchor?: string;
  flow?: boolean;
}

/** A document: its root node, and what `yaml` found wrong in it (never anything for a simple one). */
export interface YDocument {
  contents: unknown;
  range: Range;
  errors: YAMLError[];
  warnings: YAMLWarning[];
}

function kind(node: unknown): symbol | undefined {
  return typeof node === 'object' && node !== null ? (node as Record<symbol, unknown>)[NODE_TYPE] as symbol | undefined : undefined;
}

export const isScalar = (node: unknown): node is YScalar => kind(node) === SCALAR;
export const isMap = (node: unknown): node is YMap => kind(node) === MAP;
export const isSeq = (node: unknown): node is YSeq => kind(node) === SEQ;
export const isPair = (node: unknown): node is YPair => kind(node) === PAIR;
/** Only `yaml` makes aliases (the simple reader leaves texts with any to it). */
export const isAlias = (node: unknown): node is Alias => kind(node) === ALIAS;

/**
 * Calls `visit` with every node of the document (collections, their pairs, keys and values,
 * scalars, aliases) in document order, as `yaml`'s `visit` walks them, until it returns true;
 * whether one did. An explicit stack: the walk never depends on the stack left to the caller.
 */
export function someNode(doc: YDocument, visit: (node: unknown) => boolean): boolean {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    if (visit(node)) return true;
    if (isPair(node)) stack.push(node.value, node.key);
    else if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  return false;
}

// The simple reader's nodes. Each kind mark sits on the class's prototype (set in its static
// block): one property for all instances, where `yaml` defines one on every node it makes.

function mark(cls: { prototype: object }, kindMark: symbol): void {
  Object.defineProperty(cls.prototype, NODE_TYPE, { value: kindMark });
}

export class SimpleScalar implements YScalar {
  declare readonly [NODE_TYPE]: symbol;
  static {
    mark(this, SCALAR);
  }

  value: string;
  source: string;
  type: Scalar.Type;
  range: Range;

  constructor(value: string, type: Scalar.Type, start: number, end: number) {
    this.value = value;
    this.source = value;
    this.type = type;
    this.range = [start, end, end];
  }
}

export class SimplePair implements YPair {
  declare readonly [NODE_TYPE]: symbol;
  static {
    mark(this, PAIR);
  }

  key: SimpleNode;
  value: SimpleNode;

  constructor(key: SimpleNode, value: SimpleNode) {
    this.key = key;
    this.value = value;
  }
}

export class SimpleMap implements YMap {
  declare readonly [NODE_TYPE]: symbol;
  static {
    mark(this, MAP);
  }

  items: SimplePair[] = [];
  range: Range;

  constructor(start: number) {
    this.range = [start, start, start];
  }
}

export class SimpleSeq implements YSeq {
  declare readonly [NODE_TYPE]: symbol;
  static {
    mark(this, SEQ);
  }

  items: SimpleNode[] = [];
  range: Range;
  flow: boolean;

  constructor(start: number, flow: boolean) {
    this.range = [start, start, start];
    this.flow = flow;
  }
}

export type SimpleNode = SimpleScalar | SimpleMap | SimpleSeq;

export class SimpleDocument implements YDocument {
  declare readonly [NODE_TYPE]: symbol;
  static {
    mark(this, DOC);
  }

  contents: SimpleNode;
  range: Range;
  errors: YAMLError[] = [];
  warnings: YAMLWarning[] = [];

  constructor(contents: SimpleNode, length: number) {
    this.contents = contents;
    this.range = [0, length, length];
  }
}
