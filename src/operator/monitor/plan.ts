import { findCondition } from '../../api/conditions.ts';
import { RuleSetConditionType } from '../../api/conditions-ruleset.ts';
import type { FalcoRuleSet } from '../../api/ruleset.ts';
import type { Bundle, RuleSetContent } from '../builders/bundle.ts';
import { buildBundle } from '../builders/bundle.ts';

/** A selected rule set left out of the candidate, and why (status.rejectedRuleSets). */
export interface Rejection {
  name: string;
  reason: string;
  message: string;
}

/** What the monitor would run if Falco accepts it, and what it leaves out. */
export interface BundlePlan {
  candidate: Bundle;
  rejected: Rejection[];
  /** Selected rule sets whose checks have not finished (kept at their running version, if any). */
  pending: string[];
}

export interface PlanInput {
  /** Selected rule sets, in load order. */
  ruleSets: readonly FalcoRuleSet[];
  /** The rules text the monitor read for each rule set, by name (absent: could not be read). */
  contents: ReadonlyMap<string, RuleSetContent>;
  image: string;
  includeDefaultRules: boolean;
  running: Bundle | undefined;
}

type Decision = { use: 'current' } | { use: 'running' | 'none'; rejection?: Rejection; pending?: boolean };

/**
 * Decides, per selected rule set, which version goes into the candidate — as ordered checks,
 * the first that applies wins:
 * 1. disabled → left out (the user's choice; not a failure);
 * 2. its status does not describe its current generation or content yet → pending;
 * 3. the static check failed → rejected;
 * 4. a Falco of this image rejected this content → rejected;
 * 5. otherwise → its current content goes into the candidate.
 * A pending or rejected rule set that the running bundle holds stays at its running version:
 * a bad edit never takes rules that were working off the nodes. Pure.
 */
export function planBundle(input: PlanInput): BundlePlan {
  const entries: RuleSetContent[] = [];
  const rejected: Rejection[] = [];
  const pending: string[] = [];
  for (const ruleSet of input.ruleSets) {
    const name = ruleSet.metadata.name;
    const decision = decide(ruleSet, input);
    if (decision.use === 'current') {
      const content = input.contents.get(name);
      if (content !== undefined) entries.push(content);
      continue;
    }
    if (decision.rejection !== undefined) rejected.push(decision.rejection);
    if (decision.pending === true) pending.push(name);
    const runningFile = decision.use === 'running' ? input.running?.files.find((f) => f.ruleSet === name) : undefined;
    if (runningFile !== undefined) entries.push({ name, content: runningFile.content, contentHash: runningFile.contentHash });
  }
  return { candidate: buildBundle(entries, input.includeDefaultRules), rejected, pending };
}

function decide(ruleSet: FalcoRuleSet, input: PlanInput): Decision {
  const name = ruleSet.metadata.name;
  if (!ruleSet.spec.enabled) {
    return { use: 'none', rejection: { name, reason: 'Disabled', message: 'The rule set is disabled (spec.enabled is false).' } };
  }
  const status = ruleSet.status;
  const valid = findCondition(status?.conditions, RuleSetConditionType.Valid);
  const content = input.contents.get(name);
  const current = status?.observedGeneration === ruleSet.metadata.generation && valid !== undefined;
  if (!current) return { use: 'running', pending: true };
  if (valid.status !== 'True') {
    return { use: 'running', rejection: { name, reason: 'NotValid', message: truncate(valid.message) } };
  }
  if (content === undefined || status?.contentHash !== content.contentHash) return { use: 'running', pending: true };
  const verdict = status?.verifications?.find((v) => v.image === input.image && v.contentHash === content.contentHash);
  if (verdict !== undefined && !verdict.verified) {
    return { use: 'running', rejection: { name, reason: verdict.reason, message: truncate(verdict.message) } };
  }
  return { use: 'current' };
}

function truncate(message: string): string {
  return message.length <= 512 ? message : `${message.slice(0, 509)}...`;
}
