import { ApiException, HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';

const http = new IsomorphicFetchHttpLibrary();

/**
 * Whether the API server serves `plural` in `groupVersion` (e.g. monitoring.coreos.com/v1,
 * podmonitors): API discovery, which every authenticated client may read, so no RBAC on CRDs.
 */
export async function servesResource(kc: KubeConfig, groupVersion: string, plural: string): Promise<boolean> {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('The kubeconfig has no current cluster');
  const ctx = new RequestContext(`${server.replace(/\/+$/, '')}/apis/${groupVersion}`, HttpMethod.GET);
  ctx.setHeaderParam('Accept', 'application/json');
  await kc.applySecurityAuthentication(ctx);
  const response = await http.send(ctx).toPromise();
  const text = await response.body.text();
  if (response.httpStatusCode === 404) return false;
  if (response.httpStatusCode !== 200) throw new ApiException(response.httpStatusCode, `Could not discover /apis/${groupVersion}`, text, response.headers);
  const list = JSON.parse(text) as { resources?: Array<{ name?: string }> };
  return (list.resources ?? []).some((r) => r.name === plural);
}

/**
 * A discovery answer remembered for `ttlMs`: a CRD installed (or removed) later is noticed within
 * that time, and reconciles in between cost no request.
 */
export class CachedDiscovery {
  private answer: { value: boolean; at: number } | undefined;
  private readonly ask: () => Promise<boolean>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(ask: () => Promise<boolean>, ttlMs: number, now: () => number = Date.now) {
    this.ask = ask;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  async available(): Promise<boolean> {
    const t = this.now();
    if (this.answer === undefined || t - this.answer.at >= this.ttlMs) this.answer = { value: await this.ask(), at: t };
    return this.answer.value;
  }
}
