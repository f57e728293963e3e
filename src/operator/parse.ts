import { falcoMonitorSchema } from '../api/monitor.ts';
import type { FalcoMonitor } from '../api/monitor.ts';
import { falcoRuleSetSchema } from '../api/ruleset.ts';
import type { FalcoRuleSet } from '../api/ruleset.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { RawObject } from './deps.ts';

/**
 * Cached custom objects are raw JSON; the zod schemas give them types and the CRD's defaults.
 * The API server validated them already, so a parse failure means a schema drift: terminal.
 */
export function parseRuleSet(raw: RawObject): FalcoRuleSet {
  const parsed = falcoRuleSetSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`FalcoRuleSet ${describe(raw)} does not match the schema: ${parsed.error.message}`);
  return parsed.data;
}

export function parseMonitor(raw: RawObject): FalcoMonitor {
  const parsed = falcoMonitorSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`FalcoMonitor ${describe(raw)} does not match the schema: ${parsed.error.message}`);
  return parsed.data;
}

/** Every object of a namespace that parses; the broken ones are reported by their own reconcile. */
export function parseAll<T>(raws: readonly RawObject[], parse: (raw: RawObject) => T): T[] {
  return raws.flatMap((raw) => {
    try {
      return [parse(raw)];
    } catch {
      return [];
    }
  });
}

function describe(raw: RawObject): string {
  return `${raw.metadata?.namespace ?? ''}/${raw.metadata?.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
