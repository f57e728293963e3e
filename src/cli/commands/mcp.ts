import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { InvalidInputError } from '../../core/errors.ts';

export interface McpOptions {
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
      if (opts.http === undefined) (await import('./mcp-stdio.ts')).prepareStdio();
      // The server itself is loaded only when the command runs (`falconer mcp --help` stays light).
      const { runMcp } = await import('./mcp-run.ts');
      await runMcp(opts);
    });
}
