import { RuleSetConditionType as T, RuleSetReason as R } from '../../api/conditions-ruleset.ts';
import { setCondition } from '../../api/conditions.ts';
import type { Condition, ConditionUpdate } from '../../api/conditions.ts';
import type { FalcoRuleSet, LoadMessage, RuleSetStatus, Verification } from '../../api/ruleset.ts';
import { MAX_LOAD_MESSAGES, MAX_RULE_NAMES } from '../../api/ruleset.ts';
import type { StaticCheckResult } from '../verification/rules-engine.ts';
import type { ResolvedContent } from './content.ts';

/** Everything the rule set's status is computed from, gathered by the reconciler. */
export interface RuleSetObservation {
  ruleSet: FalcoRuleSet;
  resolved: ResolvedContent;
  staticResult: StaticCheckResult | undefined;
  /** Images of the monitors that select the rule set (deduplicated). */
  images: string[];
  /** Verdicts for the current content, one per image that has one. */
  verifications: Verification[];
  /** Falco's errors behind a failed verification of the current content. */
  falcoErrors: LoadMessage[];
  /** The operator runs with static verification only (settings.verification = static). */
  staticOnly?: boolean;
  now: Date;
}

/** The whole status, computed without I/O. */
export function computeRuleSetStatus(o: RuleSetObservation): RuleSetStatus {
  const stamp = { generation: o.ruleSet.metadata.generation ?? 0, now: o.now };
  let conditions: Condition[] = o.ruleSet.status?.conditions ?? [];
  const valid = validCondition(o);
  const verified = verifiedCondition(o, valid.status === 'True');
  conditions = setCondition(conditions, valid, stamp);
  conditions = setCondition(conditions, verified, stamp);
  conditions = setCondition(conditions, readyCondition(o, valid, verified), stamp);
  const status: RuleSetStatus = { observedGeneration: stamp.generation, conditions };
  if (o.resolved.ok) status.contentHash = o.resolved.contentHash;
  if (o.staticResult !== undefined) {
    status.counts = o.staticResult.counts;
    if (o.staticResult.modelledFalcoVersion !== undefined) status.modelledFalcoVersion = o.staticResult.modelledFalcoVersion;
    status.ruleNames = o.staticResult.ruleNames.slice(0, MAX_RULE_NAMES);
    if (o.staticResult.ruleNames.length > MAX_RULE_NAMES) status.ruleNamesTruncated = true;
    const errors = o.staticResult.ok ? o.falcoErrors : o.staticResult.errors;
    if (errors.length > 0) status.errors = errors.slice(0, MAX_LOAD_MESSAGES);
    if (o.staticResult.warnings.length > 0) status.warnings = o.staticResult.warnings.slice(0, MAX_LOAD_MESSAGES);
  }
  if (o.verifications.length > 0) status.verifications = o.verifications;
  return status;
}

function validCondition(o: RuleSetObservation): ConditionUpdate {
  return validity(o.resolved, o.staticResult);
}

/**
 * The Valid condition from the rules text and the static check. The monitor reconciler uses it
 * too, so a rule set it leaves out of a bundle is reported with the words of the rule set's own
 * status.
 */
export function validity(resolved: ResolvedContent, staticResult: StaticCheckResult | undefined): ConditionUpdate {
  if (!resolved.ok) return { type: T.Valid, status: 'False', reason: resolved.reason, message: resolved.message };
  const result = staticResult;
  if (result === undefined || !result.ok) {
    const first = result?.errors[0];
    const where = first?.line !== undefined ? ` (line ${first.line})` : '';
    const message = first ? `The static check rejected the rules: ${first.code}: ${first.message}${where}.` : 'The static check rejected the rules.';
    return { type: T.Valid, status: 'False', reason: R.StaticCheckFailed, message };
  }
  const { rules, macros, lists } = result.counts;
  return {
    type: T.Valid,
    status: 'True',
    reason: R.StaticCheckPassed,
    message: `The static check accepted ${rules} rules, ${macros} macros and ${lists} lists.`,
  };
}

function verifiedCondition(o: RuleSetObservation, valid: boolean): ConditionUpdate {
  const type = T.Verified;
  if (!valid) return { type, status: 'Unknown', reason: R.VerificationPending, message: 'Verification waits until the static check passes.' };
  if (!o.ruleSet.spec.enabled) return { type, status: 'Unknown', reason: R.VerificationPending, message: 'The rule set is disabled, so no monitor verifies it.' };
  if (o.images.length === 0) return { type, status: 'Unknown', reason: R.NotSelected, message: 'No FalcoMonitor selects this rule set.' };
  if (o.staticOnly === true) {
    return { type, status: 'Unknown', reason: R.VerificationSkipped, message: 'The operator runs with --verification=static: no Falco was asked to load these rules.' };
  }
  const failed = o.verifications.find((v) => !v.verified);
  if (failed !== undefined) return { type, status: 'False', reason: failed.reason, message: `${failed.image}: ${failed.message}` };
  const pending = o.images.filter((i) => !o.verifications.some((v) => v.image === i && v.verified));
  if (pending.length > 0) {
    return { type, status: 'Unknown', reason: R.VerificationPending, message: `Waiting for Falco ${pending.join(', ')} to verify the rules.` };
  }
  return { type, status: 'True', reason: R.VerificationPassed, message: `Falco ${o.images.join(', ')} accepted the rules.` };
}

function readyCondition(o: RuleSetObservation, valid: ConditionUpdate, verified: ConditionUpdate): ConditionUpdate {
  const type = T.Ready;
  if (!o.ruleSet.spec.enabled) return { type, status: 'False', reason: R.Disabled, message: 'The rule set is disabled (spec.enabled is false).' };
  if (valid.status !== 'True') return { type, status: 'False', reason: R.NotValid, message: valid.message };
  if (verified.reason === R.VerificationSkipped) {
    return { type, status: 'True', reason: R.StaticCheckOnly, message: 'The rules passed the static check; Falco verification is turned off in this operator.' };
  }
  if (verified.status !== 'True') return { type, status: 'False', reason: R.NotVerified, message: verified.message };
  return { type, status: 'True', reason: R.RuleSetReady, message: 'The rules are valid and verified; monitors load them.' };
}
