import { ERROR_CODES, WARNING_CODES, DEPRECATED_FIELDS } from '../codes.ts';
import type { ErrorCode, WarningCode } from '../codes.ts';
import type { FalcoLoadMessage, FalcoLoadResult } from '../falco-json.ts';
import { textIndex } from './context.ts';
import type { Context } from './context.ts';
import type { LoadEntry, LoadResult } from './result.ts';

/** File name → content, for snippets (Falco's rules_contents_t). */
export type RulesContents = ReadonlyMap<string, string>;

const SNIPPET_WIDTH = 160;

/**
 * The line around the failing position with a caret under it, as Falco's context::snippet cuts
 * it: at most 80 characters either side, `...` where cut, positions past the end pulled back.
 */
export function snippet(ctx: Context, contents: RulesContents): string {
  const loc = ctx.locations[ctx.locations.length - 1];
  if (loc === undefined) return '<No context available>\n';
  const alt = ctx.altContent ?? '';
  const fromFile = contents.get(loc.name);
  if (alt === '' && fromFile === undefined) return `<No context for file + ${loc.name}>\n`;
  const text = alt !== '' ? alt : (fromFile ?? '');
  if (text === '') return '<No context available>\n';
  const half = SNIPPET_WIDTH / 2;
  let pos = textIndex(loc.mark);
  while (pos > 0 && (pos >= text.length || text[pos] === '\n')) pos--;
  let from = pos;
  while (from > 0 && text[from] !== '\n' && pos - from < half) from--;
  let to = pos;
  while (to < text.length - 1 && text[to] !== '\n' && to - pos < half) to++;
  if (from < text.length && text[from] === '\n') from++;
  if (to < text.length && text[to] === '\n') to--;
  let line = text.slice(from, to + 1);
  if (line === '') return '<No context available>\n';
  if (pos - from >= half) line = `...${line.slice(3)}`;
  if (to - pos >= half) line = `${line.slice(0, -3)}...`;
  let out = `${line}\n`;
  if (pos - from <= out.length - 1) out += `${' '.repeat(Math.max(0, pos - from))}^\n`;
  return out;
}

export function contextAsText(ctx: Context): string {
  return ctx.locations
    .map((loc, i) => {
      const name = loc.itemName === '' ? '' : ` '${loc.itemName}'`;
      return `${i === 0 ? 'In ' : '    '}${loc.itemType}${name}: (${loc.name}:${loc.mark.line}:${loc.mark.column})\n`;
    })
    .join('');
}

function warningShort(w: LoadEntry<WarningCode>): string {
  const short = WARNING_CODES[w.code].short;
  return w.deprecatedField === undefined ? short : `${short}: field '${w.deprecatedField}' is deprecated`;
}

function entryText(e: LoadEntry<ErrorCode | WarningCode>, short: string, contents: RulesContents): string {
  return `${contextAsText(e.context)}------\n${snippet(e.context, contents)}------\n${e.code} (${short}): ${e.message}\n`;
}

/** Falco's verbose text for one file (what `falco -V` prints for an invalid file). */
export function resultAsText(r: LoadResult, contents: RulesContents): string {
  let out = `${r.name === '' ? '' : `${r.name}: `}${r.successful ? 'Ok' : 'Invalid'}`;
  if (r.successful && r.warnings.length > 0) out += ', with warnings';
  if (r.schemaStatus.length > 0 && !r.schemaValid) {
    out += `\n${r.schemaStatus.length} Schema warnings:\n`;
    for (const status of r.schemaStatus) out += `------\n${status}\n`;
    out += '------\n';
  }
  if (r.errors.length > 0) {
    out += `\n${r.errors.length} Errors:\n`;
    for (const e of r.errors) out += entryText(e, ERROR_CODES[e.code], contents);
  }
  if (r.warnings.length > 0) {
    out += `\n${r.warnings.length} Warnings:\n`;
    for (const w of r.warnings) out += entryText(w, warningShort(w), contents);
  }
  return out;
}

function contextAsJson(ctx: Context, contents: RulesContents): FalcoLoadMessage['context'] {
  return {
    locations: ctx.locations.map((loc) => ({
      item_name: loc.itemName,
      item_type: loc.itemType,
      position: { column: loc.mark.column, line: loc.mark.line, name: loc.name, offset: loc.mark.offset },
    })),
    snippet: snippet(ctx, contents),
  };
}

/** One element of `falco_load_results`, keys in nlohmann's (alphabetical) order. */
export function resultAsJson(r: LoadResult, contents: RulesContents): FalcoLoadResult {
  const errors = r.errors.map((e): FalcoLoadMessage => ({
    code: e.code,
    // Falco's error_desc() returns the short string, so codedesc repeats it.
    codedesc: ERROR_CODES[e.code],
    context: contextAsJson(e.context, contents),
    message: e.message,
  }));
  const warnings = r.warnings.map((w): FalcoLoadMessage => ({
    code: w.code,
    codedesc: WARNING_CODES[w.code].desc,
    context: contextAsJson(w.context, contents),
    ...(w.deprecatedField !== undefined && w.deprecatedField in DEPRECATED_FIELDS
      ? { deprecated_field: w.deprecatedField }
      : {}),
    message: w.message,
  }));
  const schema =
    r.schemaStatus.length > 0
      ? { schema_valid: r.schemaValid, schema_warnings: r.schemaValid ? [] : [...r.schemaStatus] }
      : {};
  return { errors, name: r.name, ...schema, successful: r.successful, warnings };
}
