import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { KubeConfig } from '@kubernetes/client-node';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { InvalidInputError } from '../../core/errors.ts';
import { defaultNamespace, loadKubeConfig } from '../../kube/client.ts';
import { createLogger } from '../../log/logger.ts';
import type { Logger } from '../../log/logger.ts';
import { DEFAULT_LIMITS } from '../../mcp/deps.ts';
import type { McpDeps } from '../../mcp/deps.ts';
import { serveHttp } from '../../mcp/http.ts';
import { allowedHostsFor, isLoopback, parseListenAddress } from '../../mcp/http-guard.ts';
import { kubeFleet, kubeObjects } from '../../mcp/kube-deps.ts';
import { staticRulesEngine } from '../../mcp/rules-engine.ts';
import { createMcpServer } from '../../mcp/server.ts';

interface McpOptions {
  http?: string;
  tokenFile?: string;
  allowedHost: string[];
  readOnly: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  monitor?: string;
  execTimeout: number;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 300) throw new InvalidArgumentError('must be whole seconds between 1 and 300');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The token from --token-file, else $FALCONER_MCP_TOKEN; never from the command line (ps shows it). */
export function readToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = tokenFile !== undefined ? readFileSync(tokenFile, 'utf8') : env['FALCONER_MCP_TOKEN'];
  const token = raw?.trim();
  if (token === undefined || token === '') return undefined;
  if (token.length < 16) throw new InvalidInputError('The MCP bearer token must be at least 16 characters.', { field: 'token' });
  return token;
}

export interface McpDepsOptions {
  namespace?: string;
  monitor?: string;
  readOnly: boolean;
  execTimeoutSeconds: number;
}

/** The MCP server's dependencies on a real cluster; shared by `falconer mcp` and `falconer dev`. */
export function buildMcpDeps(kc: KubeConfig, opts: McpDepsOptions, logger: Logger): McpDeps {
  const limits = { ...DEFAULT_LIMITS, execTimeoutMs: opts.execTimeoutSeconds * 1000 };
  return {
    fleet: kubeFleet(kc, limits.maxExecOutputBytes),
    objects: kubeObjects(kc),
    rulesEngine: staticRulesEngine(),
    defaults: { namespace: opts.namespace ?? defaultNamespace(kc), ...(opts.monitor === undefined ? {} : { monitor: opts.monitor }) },
    readOnly: opts.readOnly,
    limits,
    logger,
    version: process.env['npm_package_version'] ?? '0.1.0',
  };
}

function buildDeps(opts: McpOptions, logger: Logger): McpDeps {
  const kc = loadKubeConfig({
    ...(opts.kubeconfig === undefined ? {} : { kubeconfigPath: opts.kubeconfig }),
    ...(opts.context === undefined ? {} : { context: opts.context }),
  });
  return buildMcpDeps(
    kc,
    {
      readOnly: opts.readOnly,
      execTimeoutSeconds: opts.execTimeout,
      ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
      ...(opts.monitor === undefined ? {} : { monitor: opts.monitor }),
    },
    logger,
  );
}

async function runHttp(opts: McpOptions & { http: string }, deps: McpDeps, logger: Logger): Promise<void> {
  const { host, port } = parseListenAddress(opts.http);
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

async function runStdio(deps: McpDeps, logger: Logger): Promise<void> {
  const server = createMcpServer(deps);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  logger.info('MCP server running on stdio', { component: 'mcp', readOnly: deps.readOnly, namespace: deps.defaults.namespace });
  await closed;
}

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Serve the Falco MCP tools (stdio by default, or Streamable HTTP with --http)')
    .option('--http <addr>', 'serve Streamable HTTP on host:port at /mcp instead of stdio (e.g. 127.0.0.1:8080)')
    .option('--token-file <path>', 'file holding the bearer token for --http (or set FALCONER_MCP_TOKEN)')
    .option('--allowed-host <name>', 'extra Host header name accepted over HTTP (repeatable)', collect, [])
    .option('--read-only', 'leave out the tools that write to the cluster (falco_start_monitoring)', false)
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <ns>', 'default namespace of FalcoMonitors (default: the context\'s)')
    .option('--monitor <name>', 'default FalcoMonitor when a call names none')
    .option('--exec-timeout <seconds>', 'default deadline of one exec into a Falco pod', seconds, 30)
    .action(async (opts: McpOptions) => {
      // Under stdio, stdout carries the protocol: every log line goes to stderr.
      const logger = createLogger({ stderr: true });
      const deps = buildDeps(opts, logger);
      if (opts.http !== undefined) await runHttp({ ...opts, http: opts.http }, deps, logger);
      else await runStdio(deps, logger);
    });
}
