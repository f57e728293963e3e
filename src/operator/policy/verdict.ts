import type { LoadMessage } from '../../api/ruleset.ts';
import { RuleSetReason } from '../../api/conditions-ruleset.ts';
import type { CandidateMember } from '../verification/candidate.ts';
import type { JobOutcome } from '../verification/outcome.ts';

/** One rule set's verdict from one verification Job. */
export interface RuleSetVerdict {
  verified: boolean;
  reason: string;
  message: string;
  errors: LoadMessage[];
}

/**
 * What a finished Job means for one rule set (at one content hash), as ordered checks:
 * 1. not in the candidate → no verdict;
 * 2. Falco accepted the candidate → verified;
 * 3. the Job also checked a new falco.yaml → no verdict: a config can break rules that are fine
 *    (say, a plugin their fields need turned off), so the monitor checks the rules alone under
 *    the running falco.yaml first;
 * 4. Falco named a file: the first failing file is the culprit (later failures can be caused by
 *    it) → rejected if it is this rule set's file, no verdict if it is another's;
 * 5. no file to blame (timeout, plugin error, output without our file names) → rejected only if
 *    this rule set is new in the candidate: the running bundle was verified without it.
 * Pure.
 */
export function verdictFor(outcome: JobOutcome, members: readonly CandidateMember[], ruleSet: string, hash: string, configChanged = false): RuleSetVerdict | undefined {
  const member = members.find((m) => m.ruleSet === ruleSet && m.contentHash === hash);
  if (member === undefined || outcome.state === 'Running') return undefined;
  if (outcome.state === 'Succeeded') {
    return { verified: true, reason: RuleSetReason.VerificationPassed, message: outcome.message, errors: [] };
  }
  if (configChanged) return undefined;
  const failed = outcome.files?.find((f) => !f.successful);
  const culprit = failed === undefined ? undefined : members.find((m) => failed.name.endsWith(`/${m.key}`));
  if (culprit !== undefined) {
    if (culprit !== member) return undefined;
    const first = failed?.errors[0];
    const message = first !== undefined ? `Falco rejected the rules: ${first.code}: ${first.message}` : outcome.message;
    return { verified: false, reason: RuleSetReason.VerificationFailed, message: message.slice(0, 1024), errors: failed?.errors ?? [] };
  }
  if (!member.changed) return undefined;
  const reason = failed !== undefined ? RuleSetReason.VerificationFailed : RuleSetReason.VerificationError;
  return { verified: false, reason, message: outcome.message.slice(0, 1024), errors: failed?.errors ?? [] };
}
