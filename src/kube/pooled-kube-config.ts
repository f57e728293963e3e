import { KubeConfig } from '@kubernetes/client-node';
import type { RequestContext } from '@kubernetes/client-node';

/**
 * A KubeConfig whose requests share one connection pool, for code that calls client-node's typed
 * API classes (the MCP server; the operator sends through src/kube/transport.ts). client-node 2.0
 * builds a new undici Agent for every request, so every request pays a TCP connect and a full TLS
 * handshake (both sides: the API server too). client-go keeps one transport per TLS
 * configuration; so does this, for the one cluster and user of the current context. Users whose
 * credentials come from an exec or auth-provider plugin may get a fresh client certificate at any
 * time: they keep the default.
 */
export class PooledKubeConfig extends KubeConfig {
  #dispatcher: ReturnType<RequestContext['getDispatcher']>;

  constructor(source: KubeConfig) {
    super();
    this.loadFromOptions({
      clusters: source.getClusters(),
      users: source.getUsers(),
      contexts: source.getContexts(),
      currentContext: source.getCurrentContext(),
    });
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const user = this.getCurrentUser();
    if (user?.exec !== undefined || user?.authProvider !== undefined) return;
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    // The fresh Agent has opened nothing yet: dropping it costs no connection.
    this.#dispatcher ??= fresh;
    context.setDispatcher(this.#dispatcher);
  }
}
