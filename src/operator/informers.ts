import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, LABEL_MANAGED_BY, MANAGED_BY_VALUE, MONITOR_KIND, MONITOR_PLURAL, RULESET_KIND, RULESET_PLURAL } from '../api/names.ts';
import type { Logger } from '../log/logger.ts';
import type { OperatorCache, RawObject } from './deps.ts';
import { Informer } from './runtime/informer.ts';
import { trimPod } from './runtime/trim.ts';
import type { Trim } from './runtime/trim.ts';

/** Children are watched by the managed-by label only: Falconer never caches the whole cluster. */
const MANAGED = `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}`;

/** One informer per kind the operator reads; namespaced when the operator watches one namespace. */
export function createInformers(kc: KubeConfig, namespace: string | undefined, logger: Logger): OperatorCache {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const ns = namespace;
  const path = (prefix: string, plural: string): string => (ns === undefined ? `${prefix}/${plural}` : `${prefix}/namespaces/${ns}/${plural}`);
  const make = <T extends KubernetesObject>(kind: string, watchPath: string, list: () => Promise<unknown>, labelSelector?: string, trim?: Trim<T>): Informer<T> =>
    new Informer<T>(kc, {
      kind,
      path: watchPath,
      list: list as () => Promise<KubernetesListObject<T>>,
      logger,
      ...(labelSelector !== undefined ? { labelSelector } : {}),
      ...(trim !== undefined ? { trim } : {}),
    });
  const crList = (plural: string) => (): Promise<unknown> =>
    ns === undefined
      ? custom.listClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural })
      : custom.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural });
  const crPath = `/apis/${API_GROUP}/${API_VERSION}`;
  const sel = { labelSelector: MANAGED };
  return {
    ruleSets: make<RawObject>(RULESET_KIND, path(crPath, RULESET_PLURAL), crList(RULESET_PLURAL)),
    monitors: make<RawObject>(MONITOR_KIND, path(crPath, MONITOR_PLURAL), crList(MONITOR_PLURAL)),
    configMaps: make('ConfigMap', path('/api/v1', 'configmaps'), () =>
      ns === undefined ? core.listConfigMapForAllNamespaces(sel) : core.listNamespacedConfigMap({ namespace: ns, ...sel }), MANAGED),
    daemonSets: make('DaemonSet', path('/apis/apps/v1', 'daemonsets'), () =>
      ns === undefined ? apps.listDaemonSetForAllNamespaces(sel) : apps.listNamespacedDaemonSet({ namespace: ns, ...sel }), MANAGED),
    jobs: make('Job', path('/apis/batch/v1', 'jobs'), () =>
      ns === undefined ? batch.listJobForAllNamespaces(sel) : batch.listNamespacedJob({ namespace: ns, ...sel }), MANAGED),
    pods: make<V1Pod>('Pod', path('/api/v1', 'pods'), () =>
      ns === undefined ? core.listPodForAllNamespaces(sel) : core.listNamespacedPod({ namespace: ns, ...sel }), MANAGED, trimPod),
    serviceAccounts: make('ServiceAccount', path('/api/v1', 'serviceaccounts'), () =>
      ns === undefined ? core.listServiceAccountForAllNamespaces(sel) : core.listNamespacedServiceAccount({ namespace: ns, ...sel }), MANAGED),
  };
}

export function allInformers(cache: OperatorCache): Array<Informer<KubernetesObject>> {
  return [cache.ruleSets, cache.monitors, cache.configMaps, cache.daemonSets, cache.jobs, cache.pods, cache.serviceAccounts] as Array<Informer<KubernetesObject>>;
}
