import type { KubeConfig } from '@kubernetes/client-node';
import { defaultNamespace } from '../../kube/client.ts';
import type { Logger } from '../../log/logger.ts';
import { DEFAULT_LIMITS } from '../../mcp/deps.ts';
import type { McpDeps } from '../../mcp/deps.ts';
import { kubeFleet, kubeObjects } from '../../mcp/kube-deps.ts';
import type { LoadedDeps } from '../../mcp/lazy-deps.ts';
import { staticRulesEngine } from '../../mcp/rules-engine.ts';
import { localDeps } from '../../mcp/local-deps.ts';
import type { McpDepsOptions } from '../../mcp/local-deps.ts';

export type { McpDepsOptions } from '../../mcp/local-deps.ts';

/** The heavy side of the dependencies: the Kubernetes client behind the tools' interfaces, the rules engine. */
export function loadedDeps(kc: KubeConfig, opts: McpDepsOptions): LoadedDeps {
  return {
    fleet: kubeFleet(kc, DEFAULT_LIMITS.maxExecOutputBytes),
    objects: kubeObjects(kc),
    namespace: opts.namespace ?? defaultNamespace(kc),
    rulesEngine: staticRulesEngine(),
  };
}

/** The MCP server's dependencies on a real cluster; shared by `falconer mcp --http` and `falconer dev`. */
export function buildMcpDeps(kc: KubeConfig, opts: McpDepsOptions, logger: Logger): McpDeps {
  const loaded = loadedDeps(kc, opts);
  return {
    ...localDeps(opts, logger),
    fleet: loaded.fleet,
    objects: loaded.objects,
    rulesEngine: loaded.rulesEngine,
    defaults: { namespace: loaded.namespace, ...(opts.monitor === undefined ? {} : { monitor: opts.monitor }) },
  };
}
