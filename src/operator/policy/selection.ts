import type { LabelSelector } from '../../api/common.ts';
import type { FalcoMonitor } from '../../api/monitor.ts';
import type { FalcoRuleSet } from '../../api/ruleset.ts';
import { compareNames } from '../../core/compare.ts';

/** metav1.LabelSelector semantics: every matchLabels pair and every expression must hold. */
export function matchesSelector(labels: Record<string, string> | undefined, selector: LabelSelector): boolean {
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (have[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const value = have[req.key];
    const values = req.values ?? [];
    const ok =
      req.operator === 'In'
        ? value !== undefined && values.includes(value)
        : req.operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : req.operator === 'Exists'
            ? value !== undefined
            : value === undefined;
    if (!ok) return false;
  }
  return true;
}

/** A rule set is selected when its name is listed or its labels match (either suffices). */
export function selects(monitor: FalcoMonitor, ruleSet: FalcoRuleSet): boolean {
  if (monitor.metadata.namespace !== ruleSet.metadata.namespace) return false;
  const selection = monitor.spec.ruleSets;
  if (selection === undefined) return false;
  if (selection.names?.includes(ruleSet.metadata.name) === true) return true;
  return selection.selector !== undefined && matchesSelector(ruleSet.metadata.labels, selection.selector);
}

/** Load order: ascending spec.loadOrder, ties broken by name (as the CRD documents). */
export function byLoadOrder(a: FalcoRuleSet, b: FalcoRuleSet): number {
  return a.spec.loadOrder - b.spec.loadOrder || compareNames(a.metadata.name, b.metadata.name);
}

export function selectedRuleSets(monitor: FalcoMonitor, ruleSets: readonly FalcoRuleSet[]): FalcoRuleSet[] {
  return ruleSets.filter((r) => selects(monitor, r)).sort(byLoadOrder);
}
