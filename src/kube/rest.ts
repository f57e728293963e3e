import { ApiException, HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * The few API calls the operator makes, as plain JSON over client-node's own request path
 * (`applySecurityAuthentication` for credentials and the pooled connection; ApiException for
 * errors, so api-errors.ts reads them as before). client-node's typed API classes
 * (CoreV1Api, CustomObjectsApi, KubernetesObjectApi, …) each import its ObjectSerializer, which
 * references all ~800 generated model classes: the operator loaded 3 MB of JavaScript for about
 * ten requests. Types stay client-node's (`import type`, erased at build).
 */
export interface KubeRest {
  get<T>(path: string, query?: Query): Promise<T>;
  /** POST (create) or PUT (replace) a JSON body. */
  send<T>(method: 'POST' | 'PUT', path: string, body: unknown, query?: Query): Promise<T>;
  /** Server-side apply of `body` (JSON is YAML) as `fieldManager`, taking over conflicting fields. */
  apply<T>(path: string, body: unknown, fieldManager: string): Promise<T>;
  delete(path: string, query?: Query): Promise<void>;
}

export type Query = Readonly<Record<string, string | undefined>>;

const http = new IsomorphicFetchHttpLibrary();

export function kubeRest(kc: KubeConfig): KubeRest {
  const call = async (method: HttpMethod, path: string, query: Query, body?: { text: string; type: string }): Promise<string> => {
    const server = kc.getCurrentCluster()?.server;
    if (server === undefined) throw new Error('The kubeconfig has no current cluster');
    const ctx = new RequestContext(`${server.replace(/\/+$/, '')}${path}`, method);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) ctx.setQueryParam(name, value);
    ctx.setHeaderParam('Accept', 'application/json');
    if (body !== undefined) {
      ctx.setHeaderParam('Content-Type', body.type);
      ctx.setBody(body.text);
    }
    await kc.applySecurityAuthentication(ctx);
    const response = await http.send(ctx).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw new ApiException(response.httpStatusCode, `${method} ${path} answered ${response.httpStatusCode}`, text, response.headers);
    }
    return text;
  };
  const json = <T>(text: string): T => (text === '' ? undefined : JSON.parse(text)) as T;
  return {
    get: async (path, query = {}) => json(await call(HttpMethod.GET, path, query)),
    send: async (method, path, body, query = {}) =>
      json(await call(method === 'POST' ? HttpMethod.POST : HttpMethod.PUT, path, query, { text: JSON.stringify(body), type: 'application/json' })),
    apply: async (path, body, fieldManager) =>
      json(await call(HttpMethod.PATCH, path, { fieldManager, force: 'true' }, { text: JSON.stringify(body), type: 'application/apply-patch+yaml' })),
    delete: async (path, query = {}) => void (await call(HttpMethod.DELETE, path, query)),
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
