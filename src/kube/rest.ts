import type { KubeTransport, Query } from './transport.ts';

/**
 * The few API calls the operator makes, as plain JSON over src/kube/transport.ts (errors are
 * client-node's ApiException, so api-errors.ts reads them as it reads client-node's own).
 * client-node's typed API classes (CoreV1Api, CustomObjectsApi, KubernetesObjectApi, …) each
 * import its ObjectSerializer, which references all ~800 generated model classes: the operator
 * loaded 3 MB of JavaScript for about ten requests. Types stay client-node's (`import type`,
 * erased at build).
 */
export interface KubeRest {
  get<T>(path: string, query?: Query): Promise<T>;
  /** POST (create) or PUT (replace) a JSON body. */
  send<T>(method: 'POST' | 'PUT', path: string, body: unknown, query?: Query): Promise<T>;
  /** Server-side apply of `body` (JSON is YAML) as `fieldManager`, taking over conflicting fields. */
  apply<T>(path: string, body: unknown, fieldManager: string): Promise<T>;
  delete(path: string, query?: Query): Promise<void>;
}

export function kubeRest(transport: KubeTransport): KubeRest {
  const json = <T>(text: string): T => (text === '' ? undefined : JSON.parse(text)) as T;
  return {
    get: async (path, query = {}) => json(await transport.text({ method: 'GET', path, query })),
    send: async (method, path, body, query = {}) => json(await transport.text({ method, path, query, body: { text: JSON.stringify(body), type: 'application/json' } })),
    apply: async (path, body, fieldManager) =>
      json(await transport.text({ method: 'PATCH', path, query: { fieldManager, force: 'true' }, body: { text: JSON.stringify(body), type: 'application/apply-patch+yaml' } })),
    delete: async (path, query = {}) => void (await transport.text({ method: 'DELETE', path, query })),
  };
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
function groupPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * The REST path of a namespaced object (`name` omitted: its collection). `plural` is the
 * resource's name in the API, e.g. `configmaps`.
 */
export function objectPath(apiVersion: string, plural: string, namespace: string, name?: string): string {
  const collection = `${groupPath(apiVersion)}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  return name === undefined ? collection : `${collection}/${encodeURIComponent(name)}`;
}

/**
 * The resources of the kinds the operator writes. KubernetesObjectApi asked the API server's
 * discovery for each kind's plural; the operator writes a fixed set of kinds, known here.
 */
const PLURALS: Readonly<Record<string, string>> = {
  'v1/ConfigMap': 'configmaps',
  'v1/ServiceAccount': 'serviceaccounts',
  'v1/Pod': 'pods',
  'apps/v1/DaemonSet': 'daemonsets',
  'batch/v1/Job': 'jobs',
  'coordination.k8s.io/v1/Lease': 'leases',
  'events.k8s.io/v1/Event': 'events',
  'monitoring.coreos.com/v1/PodMonitor': 'podmonitors',
};

/** The REST path of `obj`, a namespaced object of one of the kinds in PLURALS. */
export function pathOf(obj: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  const apiVersion = obj.apiVersion ?? '';
  const plural = PLURALS[`${apiVersion}/${obj.kind ?? ''}`];
  const { name, namespace } = obj.metadata ?? {};
  if (plural === undefined) throw new Error(`No REST path known for ${apiVersion} ${obj.kind ?? '(no kind)'}: add it to src/kube/rest.ts`);
  if (name === undefined || namespace === undefined) throw new Error(`${obj.kind ?? 'object'} without a name and namespace has no REST path`);
  return objectPath(apiVersion, plural, namespace, name);
}
