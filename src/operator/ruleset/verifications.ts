import type { V1Job } from '@kubernetes/client-node';
import { LABEL_MONITOR } from '../../api/names.ts';
import type { FalcoMonitor } from '../../api/monitor.ts';
import { imageReference } from '../../api/monitor-image.ts';
import type { FalcoRuleSet, LoadMessage, Verification } from '../../api/ruleset.ts';
import { formatTime } from '../../api/conditions.ts';
import type { OperatorCache } from '../deps.ts';
import { verdictFor } from '../policy/verdict.ts';
import type { RuleSetVerdict } from '../policy/verdict.ts';
import { configChangedOf, membersOf } from '../verification/candidate.ts';
import type { OutcomeReader } from '../verification/outcome.ts';

export interface GatheredVerifications {
  images: string[];
  verifications: Verification[];
  falcoErrors: LoadMessage[];
}

/**
 * One verdict per Falco image of the selecting monitors, for the rule set's current content.
 * A verdict already in status for this (contentHash, image) is kept as it is: a known answer is
 * never asked again. Otherwise finished verification Jobs that contained this content are read.
 */
export async function gatherVerifications(
  ruleSet: FalcoRuleSet,
  hash: string | undefined,
  monitors: readonly FalcoMonitor[],
  cache: OperatorCache,
  outcomes: OutcomeReader,
  now: Date,
): Promise<GatheredVerifications> {
  const images = [...new Set(monitors.map((m) => imageReference(m.spec.image)))].sort();
  const result: GatheredVerifications = { images, verifications: [], falcoErrors: [] };
  if (hash === undefined) return result;
  const namespace = ruleSet.metadata.namespace ?? '';
  const previousErrors = (ruleSet.status?.errors ?? []).filter((e) => e.reportedBy === 'Falco');
  for (const image of images) {
    const known = ruleSet.status?.verifications?.find((v) => v.image === image && v.contentHash === hash);
    if (known !== undefined) {
      result.verifications.push(known);
      if (!known.verified) result.falcoErrors.push(...previousErrors);
      continue;
    }
    const names = new Set(monitors.filter((m) => imageReference(m.spec.image) === image).map((m) => m.metadata.name));
    const jobs = cache.jobs.list(namespace).filter((j) => names.has(j.metadata?.labels?.[LABEL_MONITOR] ?? ''));
    const found = await firstVerdict(jobs, ruleSet.metadata.name, hash, cache, outcomes);
    if (found === undefined) continue;
    const { verdict, job, falcoVersion, finishedAt } = found;
    result.verifications.push({
      image,
      ...(falcoVersion !== undefined ? { falcoVersion } : {}),
      contentHash: hash,
      verified: verdict.verified,
      reason: verdict.reason,
      message: verdict.message,
      jobName: job.metadata?.name ?? '',
      checkedAt: finishedAt ?? formatTime(now),
    });
    result.falcoErrors.push(...verdict.errors);
  }
  return result;
}

interface FoundVerdict {
  verdict: RuleSetVerdict;
  job: V1Job;
  falcoVersion?: string;
  finishedAt?: string;
}

/** A rejection wins over an acceptance: one Falco saying no is enough to keep rules off nodes. */
async function firstVerdict(
  jobs: readonly V1Job[],
  ruleSet: string,
  hash: string,
  cache: OperatorCache,
  outcomes: OutcomeReader,
): Promise<FoundVerdict | undefined> {
  let accepted: FoundVerdict | undefined;
  for (const job of jobs) {
    const members = membersOf(job);
    if (!members.some((m) => m.ruleSet === ruleSet && m.contentHash === hash)) continue;
    const outcome = await outcomes.read(job, cache.pods.list(job.metadata?.namespace));
    const verdict = verdictFor(outcome, members, ruleSet, hash, configChangedOf(job));
    if (verdict === undefined) continue;
    const found: FoundVerdict = {
      verdict,
      job,
      ...(outcome.falcoVersion !== undefined ? { falcoVersion: outcome.falcoVersion } : {}),
      ...(outcome.finishedAt !== undefined ? { finishedAt: outcome.finishedAt } : {}),
    };
    if (!verdict.verified) return found;
    accepted ??= found;
  }
  return accepted;
}
