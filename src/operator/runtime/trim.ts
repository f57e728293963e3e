import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { BUNDLE_HASH_ANNOTATION } from '../builders/bundle.ts';
import { CONFIG_HASH_ANNOTATION } from '../builders/falco-config.ts';
import { TEMPLATE_HASH_ANNOTATION } from '../policy/template.ts';

/**
 * What the caches keep of each object. managedFields are never read by the reconcilers and are
 * often the largest part of an object; Falco pods (one per node per monitor, thousands on a big
 * fleet) keep only what the reconcilers read: labels, owners, the bundle volumes, the node and
 * the container states. The operator's memory then grows with nodes far more slowly.
 */
export type Trim<T> = (obj: T) => T;

export function withoutManagedFields<T extends KubernetesObject>(obj: T): T {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export function trimPod(pod: V1Pod): V1Pod {
  const m = pod.metadata ?? {};
  const volumes = (pod.spec?.volumes ?? []).filter((v) => v.configMap !== undefined).map((v) => ({ name: v.name, configMap: { name: v.configMap?.name ?? '' } }));
  const trimmed: V1Pod = {
    apiVersion: pod.apiVersion ?? 'v1',
    kind: pod.kind ?? 'Pod',
    metadata: {
      ...(m.name !== undefined ? { name: m.name } : {}),
      ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
      ...(m.uid !== undefined ? { uid: m.uid } : {}),
      ...(m.resourceVersion !== undefined ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.labels !== undefined ? { labels: m.labels } : {}),
      ...keptAnnotations(m.annotations),
      ...(m.ownerReferences !== undefined ? { ownerReferences: m.ownerReferences } : {}),
      ...(m.deletionTimestamp !== undefined ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
    spec: { containers: [], volumes, ...(pod.spec?.nodeName !== undefined ? { nodeName: pod.spec.nodeName } : {}) },
  };
  if (pod.status !== undefined) {
    trimmed.status = {
      ...(pod.status.phase !== undefined ? { phase: pod.status.phase } : {}),
      ...(pod.status.conditions !== undefined ? { conditions: pod.status.conditions } : {}),
      ...(pod.status.containerStatuses !== undefined ? { containerStatuses: pod.status.containerStatuses } : {}),
    };
  }
  return trimmed;
}

/**
 * The pod template's bundle, config and template hashes: which bundle a Falco pod was started
 * with, and which template a crashing pod runs.
 */
const KEPT_ANNOTATIONS: readonly string[] = [BUNDLE_HASH_ANNOTATION, CONFIG_HASH_ANNOTATION, TEMPLATE_HASH_ANNOTATION];

function keptAnnotations(annotations: Record<string, string> | undefined): { annotations?: Record<string, string> } {
  const kept = Object.entries(annotations ?? {}).filter(([k]) => KEPT_ANNOTATIONS.includes(k));
  return kept.length === 0 ? {} : { annotations: Object.fromEntries(kept) };
}
