import { Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject, V1Pod } from '@kubernetes/client-node';
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

/** Watches end after 60–120 s and resume: a silent watch heals within two minutes. */
const WATCH_TIMEOUT_MIN_S = 60;

/** A Watch whose events reach the cache already trimmed. */
export class TrimmingWatch<T> extends Watch {
  readonly #trim: Trim<T>;

  constructor(config: KubeConfig, trim: Trim<T>) {
    super(config);
    this.#trim = trim;
  }

  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    // The signature is client-node's own: watch events are untyped JSON.
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    // A watch can stay open and deliver nothing: after an etcd restart one sat silent for minutes
    // in the fault tests. The API server ends each watch after timeoutSeconds (spread, as client-go
    // does), and ListWatch then watches again from its last resourceVersion, catching up.
    const params = { timeoutSeconds: WATCH_TIMEOUT_MIN_S + Math.floor(Math.random() * WATCH_TIMEOUT_MIN_S), ...queryParams };
    return super.watch(path, params, (phase, obj: T, watchObj?: unknown) => callback(phase, obj === undefined || obj === null ? obj : this.#trim(obj), watchObj), done);
  }
}
