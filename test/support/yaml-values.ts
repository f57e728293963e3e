import type { Document } from 'yaml';
import { isAlias, isMap, isScalar, isSeq } from '../../src/rules/loader/yaml-nodes.ts';
import type { YDocument } from '../../src/rules/loader/yaml-nodes.ts';

/**
 * The plain value of a document the loader parsed, whichever side made it (`yaml`'s Document or
 * the simple reader's): scalars as their values, aliases followed, keys as strings.
 */
export function valueOf(doc: YDocument): unknown {
  const value = (node: unknown): unknown => {
    if (isAlias(node)) return value(node.resolve(doc as Document));
    if (isScalar(node)) return node.value;
    if (isSeq(node)) return node.items.map(value);
    if (isMap(node)) return Object.fromEntries(node.items.map((p) => [String(value(p.key)), value(p.value)]));
    return node;
  };
  return value(doc.contents);
}

/** The node at `path` (sequence indexes and mapping keys) under the document's root. */
export function nodeAt(doc: YDocument, path: ReadonlyArray<number | string>): unknown {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (isSeq(node) && typeof step === 'number') node = node.items[step];
    else if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && p.key.value === step)?.value;
    else return undefined;
  }
  return node;
}
