import { TRANSFORMERS } from '../condition/ast.ts';
import { displayType } from '../condition/values.ts';
import { FieldError } from '../fields/catalog.ts';
import type { SourceFields } from '../fields/catalog.ts';

const STRINGY = ['CHARBUF', 'FSPATH', 'FSRELPATH'];
const INPUTS: Readonly<Record<string, readonly string[]>> = {
  tolower: STRINGY, toupper: STRINGY, basename: STRINGY, b64: ['CHARBUF', 'BYTEBUF'], len: [...STRINGY, 'BYTEBUF'],
};

/**
 * Validates an output format the way libsinsp's sinsp_evt_formatter::set_format tokenises it
 * (eventformatter.cpp, 0.22.2): `%field`, `%field[arg]`, `%<N>field`, `%tolower(field)`, with the
 * longest known field prefix taken and the rest kept as text. Returns libs' error or undefined.
 */
export function outputFormatError(format: string, fields: SourceFields): string | undefined {
  if (format === '') return 'empty formatting token';
  const fmt = format.startsWith('*') ? format.slice(1) : format;
  const len = fmt.length;
  for (let j = 0; j < len; j++) {
    if (fmt[j] !== '%') continue;
    if (j === len - 1) return 'invalid formatting syntax: formatting cannot end with a %';
    if (/[0-9]/.test(fmt[j + 1] ?? '')) {
      while (true) {
        if (j === len - 1) return 'invalid formatting syntax: formatting cannot end with a number';
        if (/[0-9]/.test(fmt[j + 1] ?? '')) j++;
        else break;
      }
    }
    const tstart = j + 1;
    const transformers: string[] = [];
    let msize = 0;
    for (;;) {
      const before = msize;
      for (const tr of TRANSFORMERS) {
        // libs bounds the lookahead with the already-advanced j, a quirk kept on purpose
        if (j + 1 + tr.length + 1 < len && fmt[tstart + msize + tr.length] === '(' && fmt.startsWith(tr, tstart + msize)) {
          transformers.push(tr);
          msize += tr.length + 1;
          j += tr.length + 1;
        }
      }
      if (before === msize) break;
    }
    const rest = fmt.slice(j + 1);
    let match;
    try {
      match = fields.matchPrefix(rest);
    } catch (error) {
      if (error instanceof FieldError) return error.message;
      throw error;
    }
    if (match === undefined) return `invalid formatting token ${rest}`;
    j += match.length;
    let type = match.field.type;
    let isList = match.field.isList;
    for (const tr of [...transformers].reverse()) {
      const error = transformerError(tr, match.field.name, match.field.flags, type, isList);
      if (error !== undefined) return error;
      if (tr === 'len') [type, isList] = ['UINT64', false];
      if (fmt[j + 1] !== ')') return `missing closing transformer parenthesis: ${fmt.slice(j)}`;
      j++;
    }
  }
  return undefined;
}

function transformerError(
  tr: string,
  name: string,
  flags: ReadonlySet<string>,
  type: string,
  isList: boolean,
): string | undefined {
  if (flags.has('EPF_NO_TRANSFORMER')) return `field '${name}' does not support transformers`;
  if (tr === 'len' && isList) return undefined;
  if ((INPUTS[tr] ?? []).includes(type)) return undefined;
  return `can't add field transformer: type '${displayType(type)}' is not supported by '${tr}' transformer applied on ${isList ? 'list ' : ''}field '${name}'`;
}
