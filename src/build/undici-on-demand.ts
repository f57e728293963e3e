/**
 * What the bundle gives client-node's modules for `undici` (src/build/bundle.ts): the names they
 * import, loading undici on first use from its own file beside the bundle (dist/cli/undici.cjs).
 * client-node's KubeConfig module imports undici at the top, so every command that read a
 * kubeconfig evaluated ~950 KB of it, and held its text, whether or not it sent a request through
 * it; the operator sends none (src/kube/transport.ts). Only the bundle uses this module.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/** The file bundle.ts writes beside the bundle. */
export const UNDICI_FILE = 'undici.cjs';

let loaded: typeof Undici | undefined;

function undici(): typeof Undici {
  loaded ??= createRequire(import.meta.url)(`./${UNDICI_FILE}`) as typeof Undici;
  return loaded;
}

export const fetch: typeof Undici.fetch = (input, init) => undici().fetch(input, init);

/**
 * Constructing either class returns undici's own instance (a constructor may return an object),
 * which is what fetch expects as its dispatcher.
 */
export const Agent = function Agent(options?: Undici.Agent.Options): Undici.Agent {
  return new (undici().Agent)(options);
} as unknown as typeof Undici.Agent;

export const ProxyAgent = function ProxyAgent(options: Undici.ProxyAgent.Options | string): Undici.ProxyAgent {
  return new (undici().ProxyAgent)(options);
} as unknown as typeof Undici.ProxyAgent;
