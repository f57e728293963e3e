import type { V1Pod } from '@kubernetes/client-node';
import type { CrashingPod } from './rollout.ts';
import { crashingPods } from './rollout.ts';

/** The pod-template annotation naming the hash of the template Falconer rendered. */
export const TEMPLATE_HASH_ANNOTATION = 'falconer.dev/template-hash';

/** A pod template that ran Ready on every node, and the children it mounts (kept while it is the fallback). */
export interface GoodTemplate {
  hash: string;
  bundleHash: string;
  configHash: string;
}

/** A pod template whose Falco crash-looped, and why; not applied again until the desired template changes. */
export interface FailedTemplate {
  hash: string;
  /** metadata.generation of the monitor whose spec rendered it. */
  generation: number;
  pod: string;
  message: string;
}

export interface TemplateObservation {
  /** Hash of the template this reconcile renders from the spec and the target bundle. */
  desiredHash: string;
  /** The live DaemonSet's template hash, bundle and config (undefined without a DaemonSet). */
  live: GoodTemplate | undefined;
  /** The live template's rollout finished: every desired pod runs it and is Ready. */
  liveComplete: boolean;
  /** The monitor's Falco pods. */
  pods: readonly V1Pod[];
  /** What the last status recorded. */
  lastGood: GoodTemplate | undefined;
  failed: FailedTemplate | undefined;
  generation: number;
}

export interface TemplateDecision {
  /** Apply the desired template, or go back to the last good one. */
  use: 'desired' | 'lastGood';
  lastGood: GoodTemplate | undefined;
  failed: FailedTemplate | undefined;
}

/**
 * Restarts before a crashing pod condemns its template: Falco fails the same way at every start
 * (a bad option, a missing capability, too little memory), so two failed starts are proof enough
 * and take about half a minute with the kubelet's back-off.
 */
export const CRASHES_BEFORE_ROLLBACK = 2;

/**
 * Which pod template the DaemonSet carries, as ordered checks (pure):
 * 1. the last good template is the live one once its rollout completed with no pod crashing;
 * 2. a desired template already known to crash-loop stays failed while the spec renders it;
 * 3. a desired template whose pods crash-loop (at least CRASHES_BEFORE_ROLLBACK restarts) becomes
 *    failed, when there is a different last good template to return to;
 * 4. a failed desired template gives way to the last good one; anything else is applied.
 * A template that was never good cannot be returned to, and the last good template itself is
 * never condemned (a node problem that breaks it too is reported, not "fixed" by going back).
 */
export function decideTemplate(o: TemplateObservation): TemplateDecision {
  const lastGood = o.live !== undefined && o.liveComplete && crashingOn(o.pods, o.live.hash).length === 0 ? o.live : o.lastGood;
  let failed: FailedTemplate | undefined;
  if (o.failed?.hash === o.desiredHash) failed = o.failed;
  else if (lastGood !== undefined && lastGood.hash !== o.desiredHash) {
    const crash = crashingOn(o.pods, o.desiredHash).find((c) => c.restarts >= CRASHES_BEFORE_ROLLBACK);
    if (crash !== undefined) failed = { hash: o.desiredHash, generation: o.generation, pod: crash.name, message: crash.lastError ?? 'no error message' };
  }
  return { use: failed !== undefined && lastGood !== undefined ? 'lastGood' : 'desired', lastGood, failed };
}

function crashingOn(pods: readonly V1Pod[], hash: string): Array<CrashingPod & { restarts: number }> {
  const onTemplate = pods.filter((p) => p.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION] === hash);
  const restarts = new Map(onTemplate.map((p) => [p.metadata?.name ?? '', Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount))]));
  return crashingPods(onTemplate).map((c) => ({ ...c, restarts: restarts.get(c.name) ?? 0 }));
}
