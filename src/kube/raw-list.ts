import { ApiException, HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';

const http = new IsomorphicFetchHttpLibrary();

/**
 * GETs a collection (`/api/v1/namespaces/ns/pods`, `/apis/g/v/plural`, …) as plain JSON, parsed
 * once. The typed list calls built a model class instance per object, which the informer then
 * turned back into plain JSON (watch events are plain JSON): three copies of every list at the
 * moment an operator (re)starts, its memory peak (bench/cost.ts). One request, no `limit`, as
 * the typed calls sent it: a paginated list measured no lower peak, and the full fault suite
 * (npm run test:faults) failed its etcd-restart scenario with pages and passed without (one run
 * each; the cause was not found).
 */
export async function listRaw<T extends KubernetesObject>(kc: KubeConfig, path: string, labelSelector?: string): Promise<KubernetesListObject<T>> {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('The kubeconfig has no current cluster');
  const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
  if (labelSelector !== undefined) url.searchParams.set('labelSelector', labelSelector);
  const ctx = new RequestContext(url.toString(), HttpMethod.GET);
  ctx.setHeaderParam('Accept', 'application/json');
  await kc.applySecurityAuthentication(ctx);
  const response = await http.send(ctx).toPromise();
  const text = await response.body.text();
  if (response.httpStatusCode !== 200) {
    throw new ApiException(response.httpStatusCode, `Could not list ${path}`, text, response.headers);
  }
  return JSON.parse(text) as KubernetesListObject<T>;
}
