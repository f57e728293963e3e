import { Parser } from 'yaml';
import type { CST } from 'yaml';
import { cppMessage } from './yaml-errors.ts';
import type { CppError } from './yaml-errors.ts';

/**
 * yaml-cpp 0.8 guards its recursive parser: a node nested 500 deep (the document's root node is
 * at depth 1) stops the parse with "bad file", marked where its scanner stands at that moment.
 * Measured on both Falco builds: 496 nested flow sequences under a rule's `tags` load (their
 * innermost scalar is at depth 499), 497 do not.
 */
export const YAML_CPP_MAX_DEPTH = 500;

interface Pending {
  readonly token: CST.Token;
  readonly depth: number;
  /** The flow sequence outermost among this node's flow ancestors, if any. */
  readonly outerFlowSeq: CST.FlowCollection | undefined;
  /** Where yaml-cpp's scanner stands when it starts this node (see below). */
  readonly mark: number;
}

type Item = CST.CollectionItem;

function tokenEnd(token: CST.Token, contentLength: number): number {
  if (token.type === 'flow-collection') {
    const close = token.end.find((t) => t.type === 'flow-seq-end' || t.type === 'flow-map-end');
    return close === undefined ? contentLength : close.offset + 1;
  }
  if ('source' in token && typeof token.source === 'string') return token.offset + token.source.length;
  return token.offset;
}

/**
 * Where yaml-cpp's scanner stands when its parser enters a node, for the shapes the differential
 * run met: inside a flow sequence the scanner has read to the end of the outermost one (its
 * opening bracket is a possible simple key, resolved only at the closing one); after a flow map's
 * ':' it has read nothing more; in block context it has read the node's first token.
 */
function markFor(token: CST.Token, item: Item, parentFlow: boolean, outer: CST.FlowCollection | undefined, length: number): number {
  if (outer !== undefined) return tokenEnd(outer, length);
  if (parentFlow) {
    const colon = item.sep?.find((t) => t.type === 'map-value-ind');
    return colon === undefined ? token.offset : colon.offset + 1;
  }
  if (token.type === 'block-seq') return token.offset + 1;
  if (token.type === 'block-map') {
    const colon = token.items[0]?.sep?.find((t) => t.type === 'map-value-ind');
    return colon === undefined ? token.offset : colon.offset + 1;
  }
  if (token.type === 'flow-collection') return token.offset + 1;
  return tokenEnd(token, length);
}

/**
 * A cheap bound: each level of block nesting takes at least one more column of the line's
 * leading spaces, dashes and '?'s (or of a key before ':'), each level of flow nesting one bracket.
 * Files that cannot reach the limit (all real rules files) skip the walk below.
 */
function mayNestTooDeep(content: string): boolean {
  let brackets = 0;
  for (let i = content.indexOf('['); i >= 0; i = content.indexOf('[', i + 1)) brackets++;
  for (let i = content.indexOf('{'); i >= 0; i = content.indexOf('{', i + 1)) brackets++;
  let widest = 0;
  let lineStart = 0;
  while (lineStart < content.length) {
    let end = content.indexOf('\n', lineStart);
    if (end < 0) end = content.length;
    let i = lineStart;
    while (i < end && (content[i] === ' ' || content[i] === '-' || content[i] === '?' || content[i] === '\t')) i++;
    widest = Math.max(widest, i - lineStart);
    lineStart = end + 1;
  }
  // a key on the line adds one map level below the prefix's; two levels of margin
  return brackets + widest + 4 >= YAML_CPP_MAX_DEPTH;
}

/**
 * The first node (in document order) that yaml-cpp refuses for its nesting, as yaml-cpp reports
 * it; undefined when every node is shallower. Walks the `yaml` package's concrete syntax tree
 * with an explicit stack: that tree is built without recursion, so this check never depends on
 * the JavaScript stack left to the caller (composing `yaml` documents does, and a file nested
 * thousands deep would otherwise fail differently from one process to the next).
 */
export function yamlDepthError(content: string): CppError | undefined {
  if (!mayNestTooDeep(content)) return undefined;
  const stack: Pending[] = [];
  for (const top of new Parser().parse(content)) {
    if (top.type !== 'document' || top.value === undefined) continue;
    stack.push({ token: top.value, depth: 1, outerFlowSeq: undefined, mark: top.value.offset });
    let found: Pending | undefined;
    while (stack.length > 0 && found === undefined) {
      const next = stack.pop() as Pending;
      if (next.depth >= YAML_CPP_MAX_DEPTH) {
        found = next;
        break;
      }
      const { token } = next;
      if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
      const flow = token.type === 'flow-collection';
      const outer = next.outerFlowSeq ?? (flow && token.start.source === '[' ? token : undefined);
      const children: Pending[] = [];
      for (const item of token.items) {
        for (const child of [item.key, item.value]) {
          if (child === undefined || child === null) continue;
          children.push({ token: child, depth: next.depth + 1, outerFlowSeq: outer, mark: markFor(child, item, flow, outer, content.length) });
        }
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Pending);
    }
    if (found !== undefined) return cppMessage(content, found.mark, 'bad file');
    stack.length = 0;
  }
  return undefined;
}
