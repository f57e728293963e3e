import type { KubeConfig } from '@kubernetes/client-node';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { InvalidInputError } from '../../core/errors.ts';
import { createLogger } from '../../log/logger.ts';
import type { Logger } from '../../log/logger.ts';
import type { McpDeps } from '../../mcp/deps.ts';
import { GatedTransport } from '../../mcp/gated-transport.ts';
import { lazyDeps } from '../../mcp/lazy-deps.ts';
import { localDeps } from '../../mcp/local-deps.ts';
import type { McpDepsOptions } from '../../mcp/local-deps.ts';
import { createMcpServer } from '../../mcp/server.ts';
import { readToken } from './mcp.ts';
import type { McpOptions } from './mcp.ts';

/*
 * What `falconer mcp` runs, loaded only by that command. The Kubernetes client and the rules
 * engine (mcp-deps.ts) are imported dynamically: over stdio they load once the tools are listed,
 * or on the first message that needs them (GatedTransport), since an MCP client starts the server
 * per session and lists its tools first.
 */

async function loadKube(opts: McpOptions): Promise<KubeConfig> {
  const { loadKubeConfig } = await import('../../kube/client.ts');
  return loadKubeConfig({
    ...(opts.kubeconfig === undefined ? {} : { kubeconfigPath: opts.kubeconfig }),
    ...(opts.context === undefined ? {} : { context: opts.context }),
  });
}

function depsOptions(opts: McpOptions): McpDepsOptions {
  return {
    readOnly: opts.readOnly,
    execTimeoutSeconds: opts.execTimeout,
    ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
    ...(opts.monitor === undefined ? {} : { monitor: opts.monitor }),
  };
}

async function runHttp(opts: McpOptions & { http: string }, logger: Logger): Promise<void> {
  const { serveHttp } = await import('../../mcp/http.ts');
  const { allowedHostsFor, isLoopback, parseListenAddress } = await import('../../mcp/http-guard.ts');
  const { buildMcpDeps } = await import('./mcp-deps.ts');
  const { host, port } = parseListenAddress(opts.http);
  const deps = buildMcpDeps(await loadKube(opts), depsOptions(opts), logger);
  const token = readToken(opts.tokenFile);
  if (token === undefined && !isLoopback(host)) {
    throw new InvalidInputError(`Serving MCP on ${host} needs a bearer token: pass --token-file or set FALCONER_MCP_TOKEN.`);
  }
  const allowedHosts = allowedHostsFor(host, opts.allowedHost);
  if (allowedHosts.length === 0) logger.warn('No Host-header check: wildcard bind without --allowed-host', { component: 'mcp' });
  const handle = await serveHttp({ host, port, allowedHosts, newServer: () => createMcpServer(deps), logger, ...(token === undefined ? {} : { token }) });
  logger.info('MCP server listening', { component: 'mcp', url: handle.url, auth: token === undefined ? 'none (loopback)' : 'bearer', readOnly: deps.readOnly });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.close();
}

async function runStdio(opts: McpOptions, logger: Logger): Promise<void> {
  const options = depsOptions(opts);
  const lazy = lazyDeps(async () => {
    const kc = await loadKube(opts);
    return (await import('./mcp-deps.ts')).loadedDeps(kc, options);
  }, opts.monitor);
  const deps: McpDeps = { ...localDeps(options, logger), fleet: lazy.fleet, objects: lazy.objects, defaults: lazy.defaults, rulesEngine: lazy.rulesEngine };
  const server = createMcpServer(deps);
  let failed: (err: unknown) => void = () => undefined;
  const transport = new GatedTransport(new StdioServerTransport(), async () => {
    try {
      await lazy.load();
      logger.info('Kubernetes client ready', { component: 'mcp', namespace: deps.defaults.namespace });
    } catch (err) {
      // A kubeconfig that cannot be read ends the server, as it did when it was read at start.
      failed(err);
      throw err;
    }
  });
  const closed = new Promise<void>((resolve, reject) => {
    transport.onclose = resolve;
    // The SDK's stdio transport does not watch for the end of stdin: a client that closes it
    // (the end of an MCP session) would leave this await unsettled, and Node exits with 13.
    process.stdin.once('end', resolve);
    failed = reject;
  });
  await server.connect(transport);
  logger.info('MCP server running on stdio', { component: 'mcp', readOnly: deps.readOnly });
  try {
    await closed;
  } finally {
    await transport.close();
  }
}

/** `falconer mcp`: stdio by default, Streamable HTTP with --http. */
export async function runMcp(opts: McpOptions): Promise<void> {
  // Under stdio, stdout carries the protocol: every log line goes to stderr (the console's too,
  // mcp-stdio.ts).
  const logger = createLogger({ stderr: true });
  if (opts.http !== undefined) await runHttp({ ...opts, http: opts.http }, logger);
  else await runStdio(opts, logger);
}
