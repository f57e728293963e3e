import { describeError } from '../core/errors.ts';
import type { FalcoPod } from '../kube/pods.ts';

export interface PodOutcome<T> {
  pod: FalcoPod;
  value?: T;
  error?: string;
  /** The error itself, for callers that tell kinds apart. */
  cause?: unknown;
}

/**
 * Runs `work` on every pod with at most `limit` in flight; one pod's failure is recorded next
 * to the others' results instead of failing the whole call (a fleet report wants all of them).
 */
export async function forEachPod<T>(
  pods: readonly FalcoPod[],
  limit: number,
  work: (pod: FalcoPod) => Promise<T>,
): Promise<Array<PodOutcome<T>>> {
  const outcomes: Array<PodOutcome<T>> = new Array<PodOutcome<T>>(pods.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < pods.length; i = next++) {
      const pod = pods[i];
      if (pod === undefined) continue;
      try {
        outcomes[i] = { pod, value: await work(pod) };
      } catch (err) {
        outcomes[i] = { pod, error: describeError(err), cause: err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, pods.length)) }, worker));
  return outcomes;
}
