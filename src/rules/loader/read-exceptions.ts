import type { YMap } from './yaml-nodes.ts';
import { childContext } from './context.ts';
import type { Context } from './context.ts';
import { invalid } from './decode.ts';
import type { Decoder } from './decode.ts';
import { emptyEntry } from './items.ts';
import type { ExceptionEntry, ExceptionInfo } from './items.ts';
import type { LoadResult } from './result.ts';
import { isMap, isScalar, isSeq } from './yaml-view.ts';
import type { YNode } from './yaml-view.ts';

/**
 * Reads a rule's `exceptions` (read_rule_exceptions in rule_loader_reader.cpp). `append` makes
 * `fields` optional and warns about appended exceptions without values.
 */
export function readExceptions(
  d: Decoder,
  res: LoadResult,
  item: YMap,
  parent: Context,
  append: boolean,
): ExceptionInfo[] | undefined {
  const exs = d.node(item, 'exceptions');
  if (exs === undefined || d.view.isNull(exs)) return undefined;
  const exsCtx = childContext(parent, d.view.mark(exs), 'exceptions');
  if (exs === null || !isSeq(exs)) throw invalid('Rule exceptions must be a sequence', exsCtx);
  const out: ExceptionInfo[] = [];
  for (const ex of d.view.items(exs)) {
    const tmp = childContext(exsCtx, d.view.mark(ex), 'exception');
    if (ex === null || !isMap(ex)) throw invalid('Rule exception must be a mapping', tmp);
    const name = d.required(ex, 'name', tmp);
    const ctx = childContext(parent, d.view.mark(ex), 'exception', name);
    if (out.some((e) => e.name === name)) {
      res.addWarning(
        'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
        `Multiple definitions of exception '${name}' in the same rule`,
        ctx,
      );
    }
    const fields = readEntry(d, d.node(ex, 'fields'), 'fields', ctx, append);
    const comps = readEntry(d, d.node(ex, 'comps'), 'comps', ctx, true);
    const values = readValues(d, res, ex, ctx, append);
    out.push({ ctx, name, fields, comps, values });
  }
  return out;
}

function readValues(
  d: Decoder,
  res: LoadResult,
  ex: YMap,
  ctx: Context,
  append: boolean,
): ExceptionEntry[] {
  const vals = d.node(ex, 'values');
  if (vals === undefined) {
    if (append) res.addWarning('LOAD_APPEND_NO_VALUES', 'Overriding/appending exception with no values', ctx);
    return [];
  }
  const valsCtx = childContext(ctx, d.view.mark(vals), 'exception values');
  if (vals === null || !isSeq(vals)) throw invalid('Rule exception values must be a sequence', valsCtx);
  return d.view.items(vals).map((v) => {
    const vctx = childContext(valsCtx, d.view.mark(v), 'exception value');
    return readEntry(d, v, '', vctx, false);
  });
}

/** Nested value lists deeper than this are refused (Falco would recurse without bound). */
const MAX_ENTRY_DEPTH = 32;

/** A scalar or a sequence (of scalars or sequences); anything else leaves the entry invalid. */
function readEntry(
  d: Decoder,
  val: YNode | null | undefined,
  key: string,
  ctx: Context,
  optional: boolean,
  depth = 0,
): ExceptionEntry {
  const entry = emptyEntry();
  if (depth > MAX_ENTRY_DEPTH) throw invalid(`Exception values nest deeper than ${MAX_ENTRY_DEPTH} levels`, ctx);
  if (val === undefined && optional) return entry;
  if (val === undefined) throw invalid(`Item has no mapping for key '${key}'`, ctx);
  const valCtx = childContext(ctx, d.view.mark(val), 'value for', key);
  if (val !== null && isScalar(val) && !d.view.isNull(val)) {
    const s = String(val.value);
    if (s === '') throw invalid('Value must be non-empty', valCtx);
    entry.item = s;
  } else if (val !== null && isSeq(val)) {
    entry.isList = true;
    for (const v of d.view.items(val)) {
      const lctx = childContext(valCtx, d.view.mark(v), 'exception');
      entry.items.push(readEntry(d, v, '', lctx, false, depth + 1));
    }
  }
  return entry;
}
