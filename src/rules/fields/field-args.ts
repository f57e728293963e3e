import { EVENT_CODE_NAMES, EVENT_PARAMS } from './events.generated.ts';
import type { FieldInfo } from './field-info.ts';

/**
 * How libsinsp's field classes match a field name with its argument. Each class tries the name
 * (with `[arg]` or `.arg` appended) and returns how many characters it understood, -1 for no
 * match, or throws FieldError with libs' message. This mirrors parse_field_name in
 * sinsp_filtercheck_{event,thread,fd}.cpp and plugin_filtercheck.cpp (libs 0.22.2).
 */
export class FieldError extends Error {}

export type ClassKind = 'event' | 'thread' | 'fd' | 'plugin' | 'plain';

export interface LookupClass {
  readonly name: string;
  readonly kind: ClassKind;
  readonly fields: readonly FieldInfo[];
  readonly byName: ReadonlyMap<string, FieldInfo>;
  readonly maxNameLength: number;
  /**
   * What the class's field names start with, up to their first dot; undefined when some name has
   * no dot. A field can only prefix a text that starts with its first segment and a dot, so most
   * classes are ruled out for a text without trying each length (output formats ask every class).
   */
  readonly firstSegments: ReadonlySet<string> | undefined;
}

export interface FieldMatch {
  readonly length: number;
  readonly field: FieldInfo;
}

const NAME_CHAR = /[A-Za-z0-9_.]/;

/**
 * Longest field name of the class that prefixes `s` (libs' default parse_field_name). Field
 * names only hold letters, digits, `_` and `.`, so only prefixes within that run can match:
 * they are tried longest first against the class's name index.
 */
export function longestPrefix(cls: LookupClass, s: string): FieldInfo | undefined {
  if (cls.firstSegments !== undefined) {
    const dot = s.indexOf('.');
    if (dot < 0 || !cls.firstSegments.has(s.slice(0, dot))) return undefined;
  }
  let end = 0;
  while (end < s.length && NAME_CHAR.test(s[end] ?? '')) end++;
  for (let len = Math.min(end, cls.maxNameLength); len > 0; len--) {
    const field = cls.byName.get(s.slice(0, len));
    if (field !== undefined) return field;
  }
  return undefined;
}

export function matchInClass(cls: LookupClass, s: string, forFilter: boolean): FieldMatch | undefined {
  switch (cls.kind) {
    case 'event': return matchEvent(cls, s) ?? plain(cls, s, forFilter);
    case 'thread': return matchThread(cls, s) ?? plain(cls, s, forFilter);
    case 'fd': return matchFdTypes(cls, s) ?? plain(cls, s, forFilter);
    case 'plugin': return matchPlugin(cls, s, forFilter);
    case 'plain': return plain(cls, s, forFilter);
  }
}

function plain(cls: LookupClass, s: string, forFilter: boolean): FieldMatch | undefined {
  const field = longestPrefix(cls, s);
  if (field === undefined) return undefined;
  if (!forFilter && field.flags.has('FILTER_ONLY')) {
    throw new FieldError(`${s} is filter only and cannot be used as a display field`);
  }
  return { length: field.name.length, field };
}

const fieldOf = (cls: LookupClass, name: string): FieldInfo => {
  const field = cls.byName.get(name);
  if (field === undefined) throw new Error(`field catalog lacks ${name}`);
  return field;
};

/** sscanf("%d%c")-style validation: optional blanks and sign, digits, nothing after. */
export function isSscanfInteger(s: string): boolean {
  return /^[ \t\n\r\f\v]*[+-]?[0-9]+$/.test(s);
}

function parseIntArg(s: string): void {
  if (!isSscanfInteger(s)) throw new FieldError(`${s} is not a valid number`);
}

function matchEvent(cls: LookupClass, s: string): FieldMatch | undefined {
  if (s.startsWith('evt.arg') && !s.startsWith('evt.args')) {
    return { length: eventArg(s, 'evt.arg', false), field: fieldOf(cls, 'evt.arg') };
  }
  if (s.startsWith('evt.rawarg')) {
    const length = eventArg(s, 'evt.rawarg', true);
    const param = longestParam(s.slice('evt.rawarg.'.length));
    const base = fieldOf(cls, 'evt.rawarg');
    return { length, field: { ...base, type: param?.[1] ?? base.type } };
  }
  if (s.startsWith('evt.around')) {
    if (s[10] === '[') {
      const end = s.indexOf(']');
      parseIntArg(s.slice(11, end < 0 ? undefined : end));
      return { length: end + 1, field: fieldOf(cls, 'evt.around') };
    }
    if (s[10] === '.') throw new FieldError('wrong syntax for evt.around');
    throw new FieldError(`filter syntax error: ${s}`);
  }
  if (s.startsWith('evt.abspath')) {
    const length = s.startsWith('evt.abspath.src') || s.startsWith('evt.abspath.dst') ? 15 : 11;
    return { length, field: fieldOf(cls, 'evt.abspath') };
  }
  if (s.startsWith('evt.type.is')) {
    if (s[11] !== '.') throw new FieldError(`filter syntax error: ${s}`);
    const type = s.slice(12);
    const known = /^[ \t\n\r\f\v]*\+?[0-9]+$/.test(type) || EVENT_CODE_NAMES.includes(type);
    return { length: known ? s.length : 0, field: fieldOf(cls, 'evt.type.is') };
  }
  return undefined;
}

function longestParam(name: string): readonly [string, string] | undefined {
  let best: readonly [string, string] | undefined;
  for (const param of EVENT_PARAMS) {
    if (param[0].length > (best?.[0].length ?? 0) && name.startsWith(param[0])) best = param;
  }
  return best;
}

function eventArg(s: string, base: string, raw: boolean): number {
  const next = s[base.length];
  if (next === '[') {
    if (raw) throw new FieldError('evt.arg fields must be expressed explicitly');
    const end = s.indexOf(']');
    parseIntArg(s.slice(base.length + 1, end < 0 ? undefined : end));
    return end + 1;
  }
  if (next === '.') {
    const rest = s.slice(base.length + 1);
    const param = longestParam(rest);
    if (param === undefined) throw new FieldError(`unknown event argument ${rest}`);
    return base.length + 1 + param[0].length;
  }
  throw new FieldError(`filter syntax error: ${s}`);
}

const ANCESTOR_FIELDS = [
  'proc.apid', 'proc.aname', 'proc.aexepath', 'proc.aexe', 'proc.acmdline', 'proc.aargs',
  'proc.env', 'proc.args', 'proc.aenv',
];

function matchThread(cls: LookupClass, s: string): FieldMatch | undefined {
  const name = ANCESTOR_FIELDS.find((f) => s.startsWith(f));
  if (name !== undefined) return { length: ancestorArg(s, name), field: fieldOf(cls, name) };
  if (s.startsWith('thread.cgroup') && !s.startsWith('thread.cgroups')) {
    if (s[13] !== '.') throw new FieldError(`filter syntax error: ${s}`);
    let end = 14;
    while (end < s.length && /[A-Za-z_]/.test(s[end] ?? '')) end++;
    return { length: end, field: fieldOf(cls, 'thread.cgroup') };
  }
  return undefined;
}

/** A bracketed argument; an invalid one makes libs fall back to the bare name's length. */
function ancestorArg(s: string, name: string): number {
  if (s[name.length] !== '[') return name.length;
  const end = s.indexOf(']', name.length);
  if (end < 0) return name.length;
  const arg = s.slice(name.length + 1, end);
  const keyed = name === 'proc.env' || name === 'proc.aenv';
  if (!keyed && !isSscanfInteger(arg)) return name.length;
  return end + 1;
}

function matchFdTypes(cls: LookupClass, s: string): FieldMatch | undefined {
  if (!s.startsWith('fd.types')) return undefined;
  if (s[8] !== '[') return { length: 8, field: fieldOf(cls, 'fd.types') };
  const end = s.indexOf(']');
  parseIntArg(s.slice(9, end < 0 ? undefined : end));
  return { length: end + 1, field: fieldOf(cls, 'fd.types') };
}

function matchPlugin(cls: LookupClass, s: string, forFilter: boolean): FieldMatch | undefined {
  const found = plain(cls, s, forFilter);
  if (found === undefined) return undefined;
  const { field } = found;
  const val = s.split(' ', 1)[0]?.trim() ?? '';
  const argPos = val.indexOf('[');
  const takesArg = field.flags.has('ARG_REQUIRED') || field.flags.has('ARG_ALLOWED');
  if (argPos >= 0) {
    if (found.length !== argPos) return undefined;
    if (argPos + 1 >= val.length) {
      throw new FieldError(`filter '${val}': ${field.name} terminates with incomplete argument brackets`);
    }
    const argLen = val.slice(argPos + 1).indexOf(']');
    if (argLen < 0) throw new FieldError(`filter '${val}': ${field.name} has unbalanced argument brackets`);
    if (!takesArg) {
      const arg = val.slice(argPos + 1, argPos + 1 + argLen);
      throw new FieldError(
        `filter '${val}': ${field.name} does not allow nor require an argument but one is provided: ${arg}`,
      );
    }
    return { length: argPos + argLen + 2, field };
  }
  if (field.flags.has('ARG_REQUIRED')) {
    throw new FieldError(`filter '${val}': ${field.name} requires an argument but none provided`);
  }
  return found;
}
