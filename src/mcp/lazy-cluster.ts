import type { FalcoFleet, FalconerObjects, McpDeps } from './deps.ts';

/** What the tools need from a cluster, once the Kubernetes client is loaded. */
export interface ClusterDeps {
  fleet: FalcoFleet;
  objects: FalconerObjects;
  /** The default namespace (the flag's, else the kubeconfig context's). */
  namespace: string;
}

export interface LazyCluster {
  fleet: FalcoFleet;
  objects: FalconerObjects;
  defaults: McpDeps['defaults'];
  /** Loads the cluster dependencies (once); every member above works after it resolved. */
  load(): Promise<void>;
}

/**
 * The cluster side of the MCP server's dependencies, loaded on first use: the Kubernetes client
 * (with its hundreds of generated API classes) is most of `falconer mcp`'s start-up, and a
 * client's first `tools/list` does not need it. Every fleet and object call waits for the load;
 * the default namespace can be read once it is done (GatedTransport holds tool calls until then).
 */
export function lazyCluster(loader: () => Promise<ClusterDeps>, monitor: string | undefined): LazyCluster {
  let loading: Promise<ClusterDeps> | undefined;
  let loaded: ClusterDeps | undefined;
  const get = (): Promise<ClusterDeps> => {
    loading ??= loader().then((deps) => (loaded = deps));
    return loading;
  };
  const fleet: FalcoFleet = {
    listPods: async (...args) => (await get()).fleet.listPods(...args),
    exec: async (...args) => (await get()).fleet.exec(...args),
    readLog: async (...args) => (await get()).fleet.readLog(...args),
  };
  const objects: FalconerObjects = {
    listMonitors: async (...args) => (await get()).objects.listMonitors(...args),
    getMonitor: async (...args) => (await get()).objects.getMonitor(...args),
    listRuleSets: async (...args) => (await get()).objects.listRuleSets(...args),
    getRuleSet: async (...args) => (await get()).objects.getRuleSet(...args),
    applyMonitor: async (...args) => (await get()).objects.applyMonitor(...args),
  };
  const defaults = {
    get namespace(): string {
      if (loaded === undefined) throw new Error('The default namespace was read before the Kubernetes client was loaded.');
      return loaded.namespace;
    },
    ...(monitor === undefined ? {} : { monitor }),
  };
  return { fleet, objects, defaults, load: async () => void (await get()) };
}
