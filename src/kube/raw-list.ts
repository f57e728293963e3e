import { ApiException, HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';

const http = new IsomorphicFetchHttpLibrary();

/** Objects per list page: client-go's reflector pages by 500 too. */
const PAGE_SIZE = 500;

/**
 * GETs a collection (`/api/v1/namespaces/ns/pods`, `/apis/g/v/plural`, …) as plain JSON, page by
 * page, each page parsed once. The typed list calls built a model class instance per object,
 * which the informer then turned back into plain JSON (watch events are plain JSON): three
 * copies of every list at the moment an operator (re)starts, its memory peak (bench/cost.ts).
 * Pages keep each response small; the list is consistent across pages (the API server serves
 * the later pages from the first page's resourceVersion).
 */
export async function listRaw<T extends KubernetesObject>(kc: KubeConfig, path: string, labelSelector?: string): Promise<KubernetesListObject<T>> {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('The kubeconfig has no current cluster');
  const items: T[] = [];
  let next: string | undefined;
  for (;;) {
    const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
    if (labelSelector !== undefined) url.searchParams.set('labelSelector', labelSelector);
    url.searchParams.set('limit', String(PAGE_SIZE));
    if (next !== undefined) url.searchParams.set('continue', next);
    const page = await getJson<KubernetesListObject<T>>(kc, url, path);
    for (const item of page.items) items.push(item);
    next = page.metadata?._continue ?? (page.metadata as { continue?: string } | undefined)?.continue;
    if (next === undefined || next === '') return { ...page, items };
  }
}

async function getJson<T>(kc: KubeConfig, url: URL, path: string): Promise<T> {
  const ctx = new RequestContext(url.toString(), HttpMethod.GET);
  ctx.setHeaderParam('Accept', 'application/json');
  await kc.applySecurityAuthentication(ctx);
  const response = await http.send(ctx).toPromise();
  const text = await response.body.text();
  if (response.httpStatusCode !== 200) {
    throw new ApiException(response.httpStatusCode, `Could not list ${path}`, text, response.headers);
  }
  return JSON.parse(text) as T;
}
