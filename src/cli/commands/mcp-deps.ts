import type { KubeConfig } from '@kubernetes/client-node';
import { defaultNamespace } from '../../kube/client.ts';
import type { Logger } from '../../log/logger.ts';
import { DEFAULT_LIMITS } from '../../mcp/deps.ts';
import type { McpDeps } from '../../mcp/deps.ts';
import { kubeFleet, kubeObjects } from '../../mcp/kube-deps.ts';
import type { ClusterDeps } from '../../mcp/lazy-cluster.ts';
import { localDeps } from '../../mcp/local-deps.ts';
import type { McpDepsOptions } from '../../mcp/local-deps.ts';

export type { McpDepsOptions } from '../../mcp/local-deps.ts';

/** The cluster side of the dependencies: the Kubernetes client behind the tools' interfaces. */
export function clusterDeps(kc: KubeConfig, opts: McpDepsOptions): ClusterDeps {
  return {
    fleet: kubeFleet(kc, DEFAULT_LIMITS.maxExecOutputBytes),
    objects: kubeObjects(kc),
    namespace: opts.namespace ?? defaultNamespace(kc),
  };
}

/** The MCP server's dependencies on a real cluster; shared by `falconer mcp --http` and `falconer dev`. */
export function buildMcpDeps(kc: KubeConfig, opts: McpDepsOptions, logger: Logger): McpDeps {
  const cluster = clusterDeps(kc, opts);
  return {
    ...localDeps(opts, logger),
    fleet: cluster.fleet,
    objects: cluster.objects,
    defaults: { namespace: cluster.namespace, ...(opts.monitor === undefined ? {} : { monitor: opts.monitor }) },
  };
}
