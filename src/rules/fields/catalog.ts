import { FieldError, matchInClass } from './field-args.ts';
import type { ClassKind, FieldMatch, LookupClass } from './field-args.ts';
import type { FieldInfo } from './field-info.ts';
import { HIDDEN_FIELDS, HIDDEN_UTIL_CLASS } from './hidden-fields.ts';
import { PLUGIN_SOURCE_CLASSES } from './plugin-fields.generated.ts';
import { SYSCALL_FIELD_CLASSES } from './syscall-fields.generated.ts';
import type { FieldClassData, FieldData } from './types.ts';

export { FieldError };

/**
 * The fields one event source offers, looked up the way libsinsp does: classes in registration
 * order, the first class that recognises a prefix decides. Lookups are memoised: rules files
 * reference the same few hundred fields thousands of times.
 */
export class SourceFields {
  readonly source: string;
  private readonly classes: readonly LookupClass[];
  private readonly exact = new Map<string, FieldInfo | FieldError | null>();
  /**
   * What every field name starts with, up to its first dot; undefined when some name has no dot.
   * A name can only match a field it starts with, so a name whose first segment is not here
   * (most constant values a condition compares with: `bash`, `/etc/shadow`) is no field, and is
   * known so without trying each class's prefixes.
   */
  private readonly firstSegments: ReadonlySet<string> | undefined;

  constructor(source: string, classes: readonly LookupClass[]) {
    this.source = source;
    this.classes = classes;
    this.firstSegments = firstSegments(classes.flatMap((c) => c.fields));
  }

  /** The field named exactly `name` (argument included), null if none; throws FieldError. */
  resolve(name: string): FieldInfo | null {
    let cached = this.exact.get(name);
    if (cached === undefined) {
      cached = this.compute(name);
      this.exact.set(name, cached);
    }
    if (cached instanceof FieldError) throw cached;
    return cached;
  }

  private compute(name: string): FieldInfo | FieldError | null {
    const dot = name.indexOf('.');
    if (this.firstSegments !== undefined && !this.firstSegments.has(dot < 0 ? name : name.slice(0, dot))) return null;
    try {
      for (const cls of this.classes) {
        const match = matchInClass(cls, name, true);
        if (match === undefined) continue;
        return match.length === name.length ? match.field : null;
      }
      return null;
    } catch (error) {
      if (error instanceof FieldError) return error;
      throw error;
    }
  }

  /** The field at the start of an output-format token (longest prefix). Throws FieldError. */
  matchPrefix(text: string): FieldMatch | undefined {
    for (const cls of this.classes) {
      const match = matchInClass(cls, text, false);
      if (match !== undefined) return match;
    }
    return undefined;
  }
}

function toInfo(field: FieldData): FieldInfo {
  return {
    name: field.name,
    type: field.type,
    isList: field.isList === true || (field.flags ?? []).includes('EPF_IS_LIST'),
    flags: new Set(field.flags ?? []),
  };
}

function kindOf(c: FieldClassData): ClassKind {
  if (c.plugin === true) return 'plugin';
  if (c.name === 'evt' && c.shortDesc === 'Syscall events only') return 'event';
  if (c.name === 'process') return 'thread';
  if (c.name === 'fd') return 'fd';
  return 'plain';
}

/** The names' parts before their first dot; undefined when some name has no dot. */
function firstSegments(fields: readonly FieldInfo[]): ReadonlySet<string> | undefined {
  return fields.every((f) => f.name.includes('.')) ? new Set(fields.map((f) => f.name.slice(0, f.name.indexOf('.')))) : undefined;
}

function lookupClass(c: FieldClassData, kind: ClassKind = kindOf(c)): LookupClass {
  const fields = c.fields.map(toInfo);
  const maxNameLength = Math.max(0, ...fields.map((f) => f.name.length));
  return { name: c.name, kind, fields, byName: new Map(fields.map((f) => [f.name, f])), maxNameLength, firstSegments: firstSegments(fields) };
}

/** The syscall classes with the hidden fields put back where libs registers them. */
function syscallClasses(): FieldClassData[] {
  const classes: FieldClassData[] = SYSCALL_FIELD_CLASSES.map((c) => {
    const hidden = HIDDEN_FIELDS.find(
      (h) => h.className === c.name && (h.shortDesc === undefined || h.shortDesc === c.shortDesc),
    );
    return hidden === undefined ? c : { ...c, fields: [...c.fields, ...hidden.fields] };
  });
  const fdlist = classes.findIndex((c) => c.name === 'fdlist');
  classes.splice(fdlist, 0, HIDDEN_UTIL_CLASS);
  return classes;
}

let syscall: SourceFields | undefined;
const plugins = new Map<string, SourceFields>();

/** The field lookup of a source, or undefined when the catalog has no fields for it. */
export function sourceFields(source: string): SourceFields | undefined {
  if (source === 'syscall') {
    syscall ??= new SourceFields('syscall', syscallClasses().map((c) => lookupClass(c)));
    return syscall;
  }
  const data = PLUGIN_SOURCE_CLASSES[source];
  if (data === undefined) return undefined;
  let fields = plugins.get(source);
  if (fields === undefined) {
    // Plugin sources get the generic event fields (evt.time, evt.num, ...) before their own.
    const generic = SYSCALL_FIELD_CLASSES.filter((c) => c.shortDesc === 'All event types');
    const classes = [...generic.map((c) => lookupClass(c, 'plain')), ...data.map((c) => lookupClass(c, 'plugin'))];
    fields = new SourceFields(source, classes);
    plugins.set(source, fields);
  }
  return fields;
}

/** The sources the catalog knows fields for. */
export function catalogSources(): string[] {
  return ['syscall', ...Object.keys(PLUGIN_SOURCE_CLASSES)];
}

/** Field classes as `falco --list[=<source>]` would list them (hidden fields excluded). */
export function listFieldClasses(source?: string): FieldClassData[] {
  const all: FieldClassData[] = [...SYSCALL_FIELD_CLASSES];
  for (const classes of Object.values(PLUGIN_SOURCE_CLASSES)) all.push(...classes);
  if (source === undefined || source === '') return all;
  return all.filter((c) => c.eventSources.includes(source));
}
