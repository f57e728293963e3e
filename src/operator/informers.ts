import type { KubernetesListObject, KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { kubeRest } from '../kube/rest.ts';
import type { KubeTransport } from '../kube/transport.ts';
import { API_GROUP, API_VERSION, LABEL_MANAGED_BY, MANAGED_BY_VALUE, MONITOR_KIND, MONITOR_PLURAL, RULESET_KIND, RULESET_PLURAL } from '../api/names.ts';
import type { Logger } from '../log/logger.ts';
import type { OperatorCache, RawObject } from './deps.ts';
import { Informer } from './runtime/informer.ts';
import { trimPod } from './runtime/trim.ts';
import type { Trim } from './runtime/trim.ts';

/** Children are watched by the managed-by label only: Falconer never caches the whole cluster. */
const MANAGED = `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}`;

/** One informer per kind the operator reads; namespaced when the operator watches one namespace. */
export function createInformers(transport: KubeTransport, namespace: string | undefined, logger: Logger): OperatorCache {
  const path = (prefix: string, plural: string): string => (namespace === undefined ? `${prefix}/${plural}` : `${prefix}/namespaces/${namespace}/${plural}`);
  // The list is a GET of the watch path: plain JSON, parsed once, the same shape watch events
  // have. One request, no `limit`: a paginated list measured no lower peak at start (bench/cost.ts),
  // and the fault suite's etcd-restart scenario failed with pages and passed without.
  const rest = kubeRest(transport);
  const make = <T extends KubernetesObject>(kind: string, watchPath: string, labelSelector?: string, trim?: Trim<T>): Informer<T> =>
    new Informer<T>(transport, {
      kind,
      path: watchPath,
      list: () => rest.get<KubernetesListObject<T>>(watchPath, { labelSelector }),
      logger,
      ...(labelSelector !== undefined ? { labelSelector } : {}),
      ...(trim !== undefined ? { trim } : {}),
    });
  const crPath = `/apis/${API_GROUP}/${API_VERSION}`;
  return {
    ruleSets: make<RawObject>(RULESET_KIND, path(crPath, RULESET_PLURAL)),
    monitors: make<RawObject>(MONITOR_KIND, path(crPath, MONITOR_PLURAL)),
    configMaps: make('ConfigMap', path('/api/v1', 'configmaps'), MANAGED),
    daemonSets: make('DaemonSet', path('/apis/apps/v1', 'daemonsets'), MANAGED),
    jobs: make('Job', path('/apis/batch/v1', 'jobs'), MANAGED),
    pods: make<V1Pod>('Pod', path('/api/v1', 'pods'), MANAGED, trimPod),
    serviceAccounts: make('ServiceAccount', path('/api/v1', 'serviceaccounts'), MANAGED),
  };
}

export function allInformers(cache: OperatorCache): Array<Informer<KubernetesObject>> {
  return [cache.ruleSets, cache.monitors, cache.configMaps, cache.daemonSets, cache.jobs, cache.pods, cache.serviceAccounts] as Array<Informer<KubernetesObject>>;
}
