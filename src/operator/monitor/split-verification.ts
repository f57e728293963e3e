import type { V1Job } from '@kubernetes/client-node';
import type { Bundle } from '../builders/bundle.ts';
import { decideTarget } from '../policy/rollout.ts';
import type { Deployment, TargetDecision } from '../policy/rollout.ts';
import { candidateMembers, configChangedOf } from '../verification/candidate.ts';
import { jobState } from '../verification/outcome.ts';
import { configText, verificationJob } from './children.ts';
import type { MonitorScope } from './children.ts';
import type { BundlePlan } from './plan.ts';

/**
 * A Job that checked changed rule sets together with a changed falco.yaml failed, and blamed no
 * one (verdictFor): a config can break rules that are fine. The changed rules are then checked
 * alone under the running falco.yaml. If Falco accepts them they roll out with the running
 * falco.yaml, and the next round finds the new config alone at fault (ConfigRejected); if not,
 * that Job blames them as usual. Undefined when there is nothing to split.
 */
export function splitVerification(
  s: MonitorScope,
  plan: BundlePlan,
  running: Bundle | undefined,
  runningPair: Deployment | undefined,
  asked: TargetDecision,
  job: V1Job | undefined,
): { decision: TargetDecision; falcoYaml: string } | undefined {
  if (asked.waiting !== 'Attribution' || runningPair === undefined || job === undefined || !configChangedOf(job)) return undefined;
  if (!candidateMembers(plan.candidate, running).some((m) => m.changed)) return undefined;
  const runningYaml = configText(s, runningPair.configHash);
  if (runningYaml === undefined) return undefined;
  const rulesAlone = verificationJob(s, plan.candidate, runningYaml);
  const decision = decideTarget({ bundle: plan.candidate, configHash: runningPair.configHash }, runningPair, rulesAlone === undefined ? undefined : jobState(rulesAlone));
  return { decision, falcoYaml: runningYaml };
}
