import type { V1Job } from '@kubernetes/client-node';
import * as z from 'zod';
import type { Bundle } from '../builders/bundle.ts';

/**
 * A verification Job records which rule sets (at which content) it checks, and which of them are
 * new relative to the monitor's running bundle. Whoever reads the Job's verdict later — the rule
 * set reconciler, after an operator restart — needs no other state to attribute it.
 */
export const CANDIDATE_ANNOTATION = 'falconer.dev/candidate';

const memberSchema = z.object({
  ruleSet: z.string(),
  contentHash: z.string(),
  key: z.string(),
  changed: z.boolean(),
});
export type CandidateMember = z.infer<typeof memberSchema>;

export function candidateMembers(candidate: Bundle, running: Bundle | undefined): CandidateMember[] {
  const before = new Set(running?.files.map((f) => `${f.ruleSet}@${f.contentHash}`));
  return candidate.files.map((f) => ({
    ruleSet: f.ruleSet,
    contentHash: f.contentHash,
    key: f.key,
    changed: !before.has(`${f.ruleSet}@${f.contentHash}`),
  }));
}

/**
 * Set on a Job whose falco.yaml differs from the one the monitor's nodes run. A failure of such a
 * Job blames no rule set: the config changed with them, so the monitor first checks the changed
 * rules alone under the running falco.yaml (a Job of its own) before anything is blamed.
 */
export const CONFIG_CHANGED_ANNOTATION = 'falconer.dev/config-changed';

export function configChangedOf(job: V1Job): boolean {
  return job.metadata?.annotations?.[CONFIG_CHANGED_ANNOTATION] === 'true';
}

export function encodeMembers(members: readonly CandidateMember[]): string {
  return JSON.stringify(members);
}

export function membersOf(job: V1Job): CandidateMember[] {
  const raw = job.metadata?.annotations?.[CANDIDATE_ANNOTATION];
  if (raw === undefined) return [];
  try {
    const parsed = z.array(memberSchema).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
