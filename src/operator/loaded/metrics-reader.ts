import { ApiException } from '@kubernetes/client-node';
import { readText } from '../../kube/transport.ts';
import type { KubeTransport } from '../../kube/transport.ts';
import { HEALTH_PORT, METRICS_PATH } from '../builders/falco-config.ts';

/** Where a node's figures come from: Falco itself, or a test responder on simulated nodes. */
export type ReportSource = 'Falco' | 'Simulated';

/** Reads the Prometheus text one Falco pod serves on its webserver. */
export interface MetricsReader {
  readonly source: ReportSource;
  read(pod: { namespace: string; name: string }, signal: AbortSignal): Promise<string>;
}

/**
 * Through the API server's pod proxy (`pods/proxy` get, in the Falco pods' namespace): it reaches
 * any pod the API server can reach, needs no NetworkPolicy hole from the operator to every node,
 * and is authorised and audited like every other request the operator makes. The cost is one API
 * request per node per reading (bench/falco-metrics.ts measures it).
 */
export function podProxyReader(transport: KubeTransport, port = HEALTH_PORT): MetricsReader {
  return {
    source: 'Falco',
    async read(pod, signal) {
      const path = `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}:${port}/proxy${METRICS_PATH}`;
      const response = await transport.open({ method: 'GET', path, accept: 'text/plain', signal });
      const text = await readText(response);
      if (response.statusCode !== 200) {
        const status = response.statusCode ?? 0;
        throw new ApiException(status, `Falco's ${METRICS_PATH} on pod ${pod.namespace}/${pod.name} answered ${status}`, text.slice(0, 200), {});
      }
      return text;
    },
  };
}
