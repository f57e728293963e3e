import type { RulesEngine, StaticCheckResult } from './rules-engine.ts';

/**
 * The in-process static check, memoised by (rule set, content hash) and shared by both
 * reconcilers: the monitor checks a rule set's new content itself instead of waiting for the
 * rule set's status to say Valid (one write → watch round trip less between an edit and its
 * verification Job), and neither reconciler parses the same content twice.
 */
export class StaticChecks {
  readonly #engine: RulesEngine;
  readonly #memo = new Map<string, StaticCheckResult>();
  readonly #capacity: number;

  constructor(engine: RulesEngine, capacity = 4096) {
    this.#engine = engine;
    this.#capacity = capacity;
  }

  check(ruleSet: string, content: string, contentHash: string, falcoVersion?: string): StaticCheckResult {
    const key = `${ruleSet}@${contentHash}@${falcoVersion ?? ''}`;
    const known = this.#memo.get(key);
    if (known !== undefined) {
      // Least recently used goes first: re-insert on a hit.
      this.#memo.delete(key);
      this.#memo.set(key, known);
      return known;
    }
    const result = this.#engine.checkStatic(`${ruleSet}.yaml`, content, falcoVersion);
    if (this.#memo.size >= this.#capacity) this.#memo.delete(this.#memo.keys().next().value ?? '');
    this.#memo.set(key, result);
    return result;
  }
}
