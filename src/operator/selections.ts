import type { RawObject } from './deps.ts';
import { keyOf, parseMonitor, parseOrSkip, parseRuleSet } from './parse.ts';
import { selects } from './policy/selection.ts';

/** What Selections reads of the caches (the informers provide it). */
export interface SelectionCache {
  ruleSets: ObjectLookup;
  monitors: ObjectLookup;
}

interface ObjectLookup {
  get(name: string, namespace?: string): RawObject | undefined;
  list(namespace?: string): readonly RawObject[];
}

interface Seen {
  generation: number;
  /** Keys (`namespace/name`) of the rule sets the monitor selected when last seen. */
  ruleSets: Set<string>;
}

/**
 * Which monitor selects which rule set, as last seen: the map that turns a watch event on one
 * side into the keys to reconcile on the other. A rule set's change wakes the monitors that
 * select it now or did before (a label edit that takes it out of a monitor must reach that
 * monitor too); a monitor's spec change wakes the rule sets it selects now or did before. With
 * 1000 rule sets and 100 monitors in a namespace, waking the whole namespace made first
 * convergence cost 23x for 10x the objects (bench/cost.ts).
 */
export class Selections {
  readonly #byMonitor = new Map<string, Seen>();

  /** Monitor keys to reconcile after a rule set changed (or was deleted). */
  ruleSetChanged(raw: RawObject, cache: SelectionCache): string[] {
    const ns = raw.metadata?.namespace ?? '';
    const key = keyOf(raw);
    // The cache, not the event, says what the rule set is now (absent: it was deleted).
    const current = cache.ruleSets.get(raw.metadata?.name ?? '', ns);
    const ruleSet = current !== undefined ? parseOrSkip(current, parseRuleSet) : undefined;
    const wake: string[] = [];
    for (const m of cache.monitors.list(ns)) {
      const monitorKey = keyOf(m);
      const seen = this.#seen(m, cache);
      const monitor = parseOrSkip(m, parseMonitor);
      const now = ruleSet !== undefined && monitor !== undefined && selects(monitor, ruleSet);
      if (!now && !seen.ruleSets.has(key)) continue;
      wake.push(monitorKey);
      if (now) seen.ruleSets.add(key);
      else seen.ruleSets.delete(key);
    }
    return wake;
  }

  /**
   * Rule set keys to reconcile after a monitor changed: only when its spec (generation) changed
   * or it came or went, since rule sets read nothing else of it (which monitors select them,
   * with which Falco image).
   */
  monitorChanged(raw: RawObject, cache: SelectionCache): string[] {
    const key = keyOf(raw);
    const before = this.#byMonitor.get(key);
    const current = cache.monitors.get(raw.metadata?.name ?? '', raw.metadata?.namespace ?? '');
    if (current === undefined) {
      this.#byMonitor.delete(key);
      return [...(before?.ruleSets ?? [])];
    }
    if (before !== undefined && before.generation === generationOf(current)) return [];
    const now = this.#select(current, cache);
    this.#byMonitor.set(key, now);
    return [...new Set([...(before?.ruleSets ?? []), ...now.ruleSets])];
  }

  #seen(raw: RawObject, cache: SelectionCache): Seen {
    const key = keyOf(raw);
    let seen = this.#byMonitor.get(key);
    if (seen === undefined) {
      seen = this.#select(raw, cache);
      this.#byMonitor.set(key, seen);
    }
    return seen;
  }

  #select(raw: RawObject, cache: SelectionCache): Seen {
    const generation = generationOf(raw);
    const monitor = parseOrSkip(raw, parseMonitor);
    const ruleSets = new Set<string>();
    if (monitor !== undefined) {
      for (const r of cache.ruleSets.list(raw.metadata?.namespace ?? '')) {
        const ruleSet = parseOrSkip(r, parseRuleSet);
        if (ruleSet !== undefined && selects(monitor, ruleSet)) ruleSets.add(keyOf(r));
      }
    }
    return { generation, ruleSets };
  }
}

function generationOf(o: RawObject): number {
  return Number(o.metadata?.['generation'] ?? 0);
}
