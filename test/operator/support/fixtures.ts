import { falcoMonitorSchema } from '../../../src/api/monitor.ts';
import type { FalcoMonitor } from '../../../src/api/monitor.ts';
import { falcoRuleSetSchema } from '../../../src/api/ruleset.ts';
import type { FalcoRuleSet, RuleSetStatus } from '../../../src/api/ruleset.ts';
import { contentHash } from '../../../src/operator/builders/hash.ts';

export const NS = 'team-a';
export const NOW = new Date('2026-11-28T10:00:00Z');

/** A valid rules file: one rule, as a user would write it. */
export function rulesText(rule = 'Shell in container', condition = 'evt.type = execve and proc.name = bash'): string {
  return `- rule: ${rule}\n  desc: test rule\n  condition: ${condition}\n  output: "shell (user=%user.name)"\n  priority: WARNING\n`;
}

/** A FalcoRuleSet with the CRD's defaults applied (through the zod schema). */
export function makeRuleSet(name: string, spec: Record<string, unknown> = {}, extra: { labels?: Record<string, string>; status?: RuleSetStatus; generation?: number } = {}): FalcoRuleSet {
  return falcoRuleSetSchema.parse({
    apiVersion: 'falconer.dev/v1alpha1',
    kind: 'FalcoRuleSet',
    metadata: { name, namespace: NS, uid: `uid-${name}`, generation: extra.generation ?? 1, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { rules: rulesText(), ...spec },
    ...(extra.status ? { status: extra.status } : {}),
  });
}

export function makeMonitor(name: string, spec: Record<string, unknown> = {}): FalcoMonitor {
  return falcoMonitorSchema.parse({
    apiVersion: 'falconer.dev/v1alpha1',
    kind: 'FalcoMonitor',
    metadata: { name, namespace: NS, uid: `uid-${name}`, generation: 1, labels: { 'argocd.argoproj.io/instance': 'mine' }, annotations: { note: 'user' } },
    spec: { ruleSets: { selector: {} }, ...spec },
  });
}

/** Status of a rule set whose static check passed for its current content. */
export function validStatus(ruleSet: FalcoRuleSet, extra: Partial<RuleSetStatus> = {}): RuleSetStatus {
  return {
    observedGeneration: ruleSet.metadata.generation ?? 1,
    contentHash: contentHash(ruleSet.spec.rules ?? ''),
    conditions: [{ type: 'Valid', status: 'True', reason: 'StaticCheckPassed', message: 'ok', lastTransitionTime: '2026-11-28T09:00:00Z', observedGeneration: 1 }],
    ...extra,
  };
}
