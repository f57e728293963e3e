import { ApiException, HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { HEALTH_PORT, METRICS_PATH } from '../builders/falco-config.ts';

/** Where a node's figures come from: Falco itself, or a test responder on simulated nodes. */
export type ReportSource = 'Falco' | 'Simulated';

/** Reads the Prometheus text one Falco pod serves on its webserver. */
export interface MetricsReader {
  readonly source: ReportSource;
  read(pod: { namespace: string; name: string }, signal: AbortSignal): Promise<string>;
}

const http = new IsomorphicFetchHttpLibrary();

/**
 * Through the API server's pod proxy (`pods/proxy` get, in the Falco pods' namespace): it reaches
 * any pod the API server can reach, needs no NetworkPolicy hole from the operator to every node,
 * and is authorised and audited like every other request the operator makes. The cost is one API
 * request per node per reading (bench/falco-metrics.ts measures it).
 */
export function podProxyReader(kc: KubeConfig, port = HEALTH_PORT): MetricsReader {
  return {
    source: 'Falco',
    async read(pod, signal) {
      const server = kc.getCurrentCluster()?.server;
      if (server === undefined) throw new Error('The kubeconfig has no current cluster');
      const path = `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}:${port}/proxy${METRICS_PATH}`;
      const ctx = new RequestContext(`${server.replace(/\/+$/, '')}${path}`, HttpMethod.GET);
      ctx.setHeaderParam('Accept', 'text/plain');
      ctx.setSignal(signal);
      await kc.applySecurityAuthentication(ctx);
      const response = await http.send(ctx).toPromise();
      const text = await response.body.text();
      if (response.httpStatusCode !== 200) {
        throw new ApiException(response.httpStatusCode, `Falco's ${METRICS_PATH} on pod ${pod.namespace}/${pod.name} answered ${response.httpStatusCode}`, text.slice(0, 200), response.headers);
      }
      return text;
    },
  };
}
