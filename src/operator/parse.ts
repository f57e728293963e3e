import { falcoMonitorSchema } from '../api/monitor.ts';
import type { FalcoMonitor } from '../api/monitor.ts';
import { falcoRuleSetSchema } from '../api/ruleset.ts';
import type { FalcoRuleSet } from '../api/ruleset.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { RawObject } from './deps.ts';

/**
 * Parses by object identity. The informer cache replaces an object on every watch event and
 * never edits one in place, so one raw object always parses to the same result. Every monitor
 * reconcile reads every rule set of its namespace (and every rule set reconcile every monitor):
 * without this, 1000 rule sets × 100 monitors meant 10^5 zod parses per resync (bench/cost.ts).
 */
const ruleSets = new WeakMap<RawObject, FalcoRuleSet | Error>();
const monitors = new WeakMap<RawObject, FalcoMonitor | Error>();

function memoised<T>(memo: WeakMap<RawObject, T | Error>, raw: RawObject, parse: () => T): T {
  let known = memo.get(raw);
  if (known === undefined) {
    try {
      known = parse();
    } catch (err) {
      known = err instanceof Error ? err : new Error(String(err));
    }
    memo.set(raw, known);
  }
  if (known instanceof Error) throw known;
  return known;
}

/**
 * Cached custom objects are raw JSON; the zod schemas give them types and the CRD's defaults.
 * The API server validated them already, so a parse failure means a schema drift: terminal.
 * Callers treat the result as read-only: it is shared between reconciles.
 */
export function parseRuleSet(raw: RawObject): FalcoRuleSet {
  return memoised(ruleSets, raw, () => {
    const parsed = falcoRuleSetSchema.safeParse(raw);
    if (!parsed.success) throw new InvalidInputError(`FalcoRuleSet ${describe(raw)} does not match the schema: ${parsed.error.message}`);
    return parsed.data;
  });
}

export function parseMonitor(raw: RawObject): FalcoMonitor {
  return memoised(monitors, raw, () => {
    const parsed = falcoMonitorSchema.safeParse(raw);
    if (!parsed.success) throw new InvalidInputError(`FalcoMonitor ${describe(raw)} does not match the schema: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Every object of a namespace that parses; the broken ones are reported by their own reconcile. */
export function parseAll<T>(raws: readonly RawObject[], parse: (raw: RawObject) => T): T[] {
  return raws.flatMap((raw) => {
    const parsed = parseOrSkip(raw, parse);
    return parsed === undefined ? [] : [parsed];
  });
}

/** The parsed object, or undefined when it does not parse (its own reconcile reports that). */
export function parseOrSkip<T>(raw: RawObject, parse: (raw: RawObject) => T): T | undefined {
  try {
    return parse(raw);
  } catch {
    return undefined;
  }
}

function describe(raw: RawObject): string {
  return `${raw.metadata?.namespace ?? ''}/${raw.metadata?.name ?? ''}`;
}

/** The work-queue key of an object: `namespace/name` (splitKey reverses it). */
export function keyOf(o: { metadata?: { name?: string; namespace?: string } }): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
