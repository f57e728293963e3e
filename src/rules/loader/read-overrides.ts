import type { YMap } from './yaml-nodes.ts';
import { childContext } from './context.ts';
import type { Context } from './context.ts';
import { invalid } from './decode.ts';
import type { Decoder } from './decode.ts';
import { RuleLoadError } from './result.ts';
import { isMap, isScalar, isSeq } from './yaml-view.ts';
import type { YNode } from './yaml-view.ts';

export interface Overrides {
  readonly append: Set<string>;
  readonly replace: Set<string>;
}

/**
 * A non-scalar where yaml-cpp's `as<std::string>()` is called throws BadConversion, which the
 * reader's catch-all turns into LOAD_ERR_VALIDATE against the whole file.
 */
function badConversion(d: Decoder, node: YNode | null, fileCtx: Context): RuleLoadError {
  const mark = d.view.mark(node);
  return new RuleLoadError(
    'LOAD_ERR_VALIDATE',
    `yaml-cpp: error at line ${mark.line + 1}, column ${mark.column + 1}: bad conversion`,
    fileCtx,
  );
}

function asString(d: Decoder, node: YNode | null, fileCtx: Context): string {
  if (node === null || !isScalar(node) || d.view.isNull(node)) throw badConversion(d, node, fileCtx);
  return String(node.value);
}

/** Reads `override: {key: append|replace}` (decode_overrides in rule_loader_reader.cpp). */
export function readOverrides(
  d: Decoder,
  item: YMap,
  ctx: Context,
  appendable: ReadonlySet<string>,
  replaceable: ReadonlySet<string>,
): Overrides {
  const out: Overrides = { append: new Set(), replace: new Set() };
  const val = d.node(item, 'override');
  if (val === undefined || val === null) return out;
  const fileCtx: Context = { locations: ctx.locations.slice(0, 1) };
  if (isSeq(val)) {
    if (val.items.length > 0) throw badConversion(d, d.view.resolve(val.items[0]), fileCtx);
    return out;
  }
  if (!isMap(val)) return out;
  const overrideCtx = childContext(ctx, d.view.mark(item), 'overrides');
  for (const [keyNode, opNode] of d.view.pairs(val)) {
    const key = asString(d, keyNode, fileCtx);
    const op = asString(d, opNode, fileCtx);
    const canAppend = appendable.has(key);
    const canReplace = replaceable.has(key);
    if (op === 'append') {
      const keyCtx = childContext(overrideCtx, d.view.mark(keyNode), 'overrides', key);
      if (!canAppend) throw invalid(`Key '${key}' cannot be appended to, use 'replace' instead`, keyCtx);
      out.append.add(key);
    } else if (op === 'replace') {
      const keyCtx = childContext(overrideCtx, d.view.mark(keyNode), 'overrides', key);
      if (!canReplace) throw invalid(`Key '${key}' cannot be replaced`, keyCtx);
      out.replace.add(key);
    } else {
      const opCtx = childContext(overrideCtx, d.view.mark(opNode), 'value for', key);
      const allowed = `${canAppend ? 'append ' : ''}${canReplace ? 'replace ' : ''}`;
      throw invalid(
        `Invalid override operation for key '${key}': '${op}'. Allowed values are: ${allowed}`,
        opCtx,
      );
    }
  }
  return out;
}
