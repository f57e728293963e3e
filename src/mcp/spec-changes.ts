/**
 * What an apply would change in a FalcoMonitor's spec, field by field: the live spec against the
 * spec the API server returned for a server-side dry-run apply (defaults applied, other managers'
 * fields kept). Pure; used to preview falco_start_monitoring and to ask the user about it.
 */
import * as z from 'zod';

export const specChangeSchema = z.object({
  path: z.string().describe('Dotted path under spec, e.g. spec.minimumPriority.'),
  before: z.unknown().optional().describe('Value now; absent when the field is new.'),
  after: z.unknown().optional().describe('Value after the apply; absent when the field goes away.'),
});
export type SpecChange = z.infer<typeof specChangeSchema>;

const MAX_CHANGES = 100;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Leaves of a JSON value by dotted path; arrays are compared whole (a list is one setting). */
function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, `${path}.${k}`, out);
  } else if (value !== undefined) {
    out.set(path, value);
  }
  return out;
}

export function specChanges(before: unknown, after: unknown): SpecChange[] {
  const a = leaves(before, 'spec', new Map());
  const b = leaves(after, 'spec', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: SpecChange[] = [];
  for (const path of paths) {
    const from = a.get(path);
    const to = b.get(path);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    changes.push({ path, ...(from === undefined ? {} : { before: from }), ...(to === undefined ? {} : { after: to }) });
  }
  return changes.slice(0, MAX_CHANGES);
}

/** One line per change, for the confirmation prompt and the text result. */
export function describeChanges(changes: readonly SpecChange[]): string {
  if (changes.length === 0) return 'no change to the spec';
  const show = (v: unknown): string => (v === undefined ? '(unset)' : JSON.stringify(v));
  return changes.map((c) => `${c.path}: ${show(c.before)} -> ${show(c.after)}`).join('\n');
}
