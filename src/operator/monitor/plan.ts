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
}

/**
 * What the monitor read of one enabled rule set: its rules text (absent when it could not be
 * read) and the static check's answer on that text.
 */
export interface RuleSetReading {
  content: RuleSetContent | undefined;
  valid: { ok: true } | { ok: false; message: string };
}

export interface PlanInput {
  /** Selected rule sets, in load order. */
  ruleSets: readonly FalcoRuleSet[];
  /** What the monitor read and checked of each enabled rule set, by name. */
  readings: ReadonlyMap<string, RuleSetReading>;
  image: string;
  includeDefaultRules: boolean;
  running: Bundle | undefined;
}

type Decision = { use: 'current'; content: RuleSetContent } | { use: 'running' | 'none'; rejection: Rejection };

/**
 * Decides, per selected rule set, which version goes into the candidate — as ordered checks,
 * the first that applies wins:
 * 1. disabled → left out (the user's choice; not a failure);
 * 2. its text could not be read, or the static check rejects it → rejected;
 * 3. a Falco of this image rejected this content (status.verifications) → rejected;
 * 4. otherwise → its current content goes into the candidate.
 * The static check is the monitor's own (memoised, the same the rule set's status reports), so
 * a new edit reaches its verification Job without waiting for the rule set's status. A rejected
 * rule set that the running bundle holds stays at its running version: a bad edit never takes
 * rules that were working off the nodes. Pure.
 */
export function planBundle(input: PlanInput): BundlePlan {
  const entries: RuleSetContent[] = [];
  const rejected: Rejection[] = [];
  for (const ruleSet of input.ruleSets) {
    const name = ruleSet.metadata.name;
    const decision = decide(ruleSet, input);
    if (decision.use === 'current') {
      entries.push(decision.content);
      continue;
    }
    rejected.push(decision.rejection);
    const runningFile = decision.use === 'running' ? input.running?.files.find((f) => f.ruleSet === name) : undefined;
    if (runningFile !== undefined) entries.push({ name, content: runningFile.content, contentHash: runningFile.contentHash });
  }
  return { candidate: buildBundle(entries, input.includeDefaultRules), rejected };
}

function decide(ruleSet: FalcoRuleSet, input: PlanInput): Decision {
  const name = ruleSet.metadata.name;
  if (!ruleSet.spec.enabled) {
    return { use: 'none', rejection: { name, reason: 'Disabled', message: 'The rule set is disabled (spec.enabled is false).' } };
  }
  const reading = input.readings.get(name);
  if (reading === undefined || !reading.valid.ok || reading.content === undefined) {
    const message = reading !== undefined && !reading.valid.ok ? reading.valid.message : 'The rules could not be read.';
    return { use: 'running', rejection: { name, reason: 'NotValid', message: truncate(message) } };
  }
  const { content } = reading;
  const verdict = ruleSet.status?.verifications?.find((v) => v.image === input.image && v.contentHash === content.contentHash);
  if (verdict !== undefined && !verdict.verified) {
    return { use: 'running', rejection: { name, reason: verdict.reason, message: truncate(verdict.message) } };
  }
  return { use: 'current', content };
}

function truncate(message: string): string {
  return message.length <= 512 ? message : `${message.slice(0, 509)}...`;
}
