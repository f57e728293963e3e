import type { FalcoFleet, FalconerObjects, McpDeps, StaticRulesEngine } from './deps.ts';

/** What the tools need beyond the server itself, once loaded. */
export interface LoadedDeps {
  fleet: FalcoFleet;
  objects: FalconerObjects;
  /** The default namespace (the flag's, else the kubeconfig context's). */
  namespace: string;
  rulesEngine: StaticRulesEngine;
}

export interface LazyDeps {
  fleet: FalcoFleet;
  objects: FalconerObjects;
  defaults: McpDeps['defaults'];
  rulesEngine: StaticRulesEngine;
  /** Loads them (once); every member above works after it resolved. */
  load(): Promise<void>;
}

function notLoaded(what: string): Error {
  return new Error(`${what} was used before the MCP server's dependencies were loaded.`);
}

/**
 * The MCP server's heavier dependencies, loaded on first use: the Kubernetes client (with its
 * hundreds of generated API classes) and the rules engine are most of `falconer mcp`'s start-up,
 * and a client's first `tools/list` needs neither. Fleet and object calls wait for the load; the
 * default namespace and the rules engine (synchronous interfaces) can be used once it is done,
 * which GatedTransport guarantees by holding tool calls until then.
 */
export function lazyDeps(loader: () => Promise<LoadedDeps>, monitor: string | undefined): LazyDeps {
  let loading: Promise<LoadedDeps> | undefined;
  let loaded: LoadedDeps | undefined;
  const get = (): Promise<LoadedDeps> => {
    loading ??= loader().then((deps) => (loaded = deps));
    return loading;
  };
  const now = (what: string): LoadedDeps => {
    if (loaded === undefined) throw notLoaded(what);
    return loaded;
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
  const rulesEngine: StaticRulesEngine = {
    validate: (files, falcoVersion) => {
      const validate = now('The rules engine').rulesEngine.validate;
      if (validate === undefined) throw new Error('The rules engine has no validator.');
      return validate(files, falcoVersion);
    },
    listFieldClasses: (source) => {
      const list = now('The rules engine').rulesEngine.listFieldClasses;
      if (list === undefined) throw new Error('The rules engine has no field catalog.');
      return list(source);
    },
  };
  const defaults = {
    get namespace(): string {
      return now('The default namespace').namespace;
    },
    ...(monitor === undefined ? {} : { monitor }),
  };
  return { fleet, objects, defaults, rulesEngine, load: async () => void (await get()) };
}
