import type { V1ControllerRevision, V1ControllerRevisionList, V1DaemonSet, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import { objectPath } from '../../kube/rest.ts';
import { kubeError } from '../../kube/api-errors.ts';
import { BUNDLE_HASH_ANNOTATION } from '../builders/bundle.ts';
import { templateHash, withTemplate } from '../builders/daemonset.ts';
import { CONFIG_HASH_ANNOTATION } from '../builders/falco-config.ts';
import { rolloutState } from '../policy/rollout.ts';
import { TEMPLATE_HASH_ANNOTATION, decideTemplate } from '../policy/template.ts';
import type { GoodTemplate, TemplateDecision } from '../policy/template.ts';
import type { ReconcileContext } from '../runtime/controller.ts';
import { ensureDaemonSet, liveDaemonSet } from './children.ts';
import type { MonitorScope } from './children.ts';

/**
 * The DaemonSet's pod template: the desired one, or the last good one while the desired one is
 * known to crash-loop (policy/template.ts decides, from the live DaemonSet, the pods and what the
 * status recorded).
 */
export async function ensureTemplate(s: MonitorScope, desired: V1DaemonSet, pods: readonly V1Pod[], ctx: ReconcileContext): Promise<{ ds: V1DaemonSet | undefined; template: TemplateDecision }> {
  const template = decideTemplate({
    desiredHash: templateHash(desired) ?? '',
    live: liveTemplate(s),
    liveComplete: rolloutState(liveDaemonSet(s))?.complete ?? false,
    pods,
    lastGood: s.monitor.status?.lastGoodTemplate,
    failed: s.monitor.status?.failedTemplate,
    generation: s.monitor.metadata.generation ?? 0,
  });
  return { ds: await applyTemplate(s, desired, template, ctx), template };
}

/**
 * Applies the desired DaemonSet, or, while its template is known to crash-loop, puts the last
 * good template back (read from the DaemonSet's history). When history no longer holds it the
 * live DaemonSet is left alone: re-applying the failing template would only restart the loop.
 */
async function applyTemplate(s: MonitorScope, desired: V1DaemonSet, template: TemplateDecision, ctx: ReconcileContext): Promise<V1DaemonSet | undefined> {
  if (template.use === 'desired' || template.lastGood === undefined) return ensureDaemonSet(s, desired);
  const live = liveDaemonSet(s);
  if (templateHash(live) === template.lastGood.hash) return live;
  const previous = await previousTemplate(s, template.lastGood.hash);
  if (previous === undefined) {
    ctx.logger.warn('Cannot roll back a crash-looping pod template: the last good one is no longer in the DaemonSet history', { template: template.lastGood.hash });
    return live;
  }
  ctx.logger.warn('Rolling back a crash-looping pod template to the last good one', { failed: template.failed?.hash, lastGood: template.lastGood.hash, pod: template.failed?.pod });
  return ensureDaemonSet(s, withTemplate(desired, previous));
}

/** The live DaemonSet's template, by hash, with the bundle and falco.yaml it mounts. */
function liveTemplate(s: MonitorScope): GoodTemplate | undefined {
  const live = liveDaemonSet(s);
  const annotations = live?.spec?.template.metadata?.annotations ?? {};
  const hash = templateHash(live);
  const bundleHash = annotations[BUNDLE_HASH_ANNOTATION];
  const configHash = annotations[CONFIG_HASH_ANNOTATION];
  return hash === undefined || bundleHash === undefined || configHash === undefined ? undefined : { hash, bundleHash, configHash };
}

/**
 * A pod template the DaemonSet carried before, by its template hash, read from the DaemonSet's
 * own history (the ControllerRevisions its controller keeps, as `kubectl rollout undo` does).
 * Read only while a rollback is in force, so it is not cached. Undefined once history dropped it.
 */
export async function previousTemplate(s: MonitorScope, hash: string): Promise<V1PodTemplateSpec | undefined> {
  const ds = liveDaemonSet(s);
  const selector = Object.entries(ds?.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  if (ds === undefined || selector === '') return undefined;
  let revisions: V1ControllerRevision[];
  try {
    revisions = (await s.deps.clients.rest.get<V1ControllerRevisionList>(objectPath('apps/v1', 'controllerrevisions', s.namespace), { labelSelector: selector })).items;
  } catch (err) {
    throw kubeError(`Could not list the ControllerRevisions of DaemonSet ${s.namespace}/${ds.metadata?.name ?? ''}`, err);
  }
  const owned = revisions.filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === ds.metadata?.uid));
  for (const r of owned.sort((a, b) => b.revision - a.revision)) {
    const template = (r.data as { spec?: { template?: V1PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template;
    if (template?.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION] !== hash) continue;
    // The revision stores the template as a strategic-merge "replace" patch; the marker is not part of it.
    const { $patch: _marker, ...plain } = template;
    return plain;
  }
  return undefined;
}
