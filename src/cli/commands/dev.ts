import type { Command } from 'commander';
import { parseCount } from './cluster.ts';

export interface DevFlags {
  local: boolean;
  clusterName: string;
  kubeconfig?: string;
  nodes: number;
  namespace: string;
  mcpPort: number;
  falcoPath?: string;
  realNode: boolean;
  falcoImageArchive?: string;
  examples: boolean;
  falcoMetrics: boolean;
  timeout: number;
  exitWhenReady: boolean;
}

/** `falconer dev`: the whole product on one machine, torn down by Ctrl-C. */
export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('Run Falconer end to end: your cluster (or the embedded local control plane), the CRDs, the operator, the MCP server and the examples')
    .option('--local', 'always boot the embedded local control plane, even when a cluster is configured', false)
    .option('--kubeconfig <path>', 'kubeconfig of the cluster to use (default: $KUBECONFIG, ~/.kube/config)')
    .option('--cluster-name <name>', 'name of the local control plane', 'dev')
    .option('--nodes <n>', 'simulated nodes of the local control plane', parseCount, 3)
    .option('-n, --namespace <ns>', 'namespace for the example rule sets and monitor; the dev operator watches only this one', 'falconer-demo')
    .option('--mcp-port <port>', 'loopback port of the MCP HTTP server (0 picks a free one)', (v) => Number.parseInt(v, 10), 0)
    .option('--falco-path <dir>', 'local control plane only: folder whose `falco` runs when a tool execs into a simulated Falco pod')
    .option('--falco-image-archive <file>', 'local control plane only: a Falco image archive (docker save / OCI) to run on a real node beside the simulated ones; Linux and root only')
    .option('--no-real-node', 'local control plane only: never start the real node, keep every node simulated')
    .option('--no-examples', 'do not apply the examples')
    .option('--no-falco-metrics', "do not read the Falco pods' /metrics (always off on the embedded control plane, whose nodes run no Falco)")
    .option('--timeout <seconds>', 'how long to wait for the example monitor to be Ready', (v) => Number.parseInt(v, 10), 300)
    .option('--exit-when-ready', 'tear down and exit once the example monitor is Ready (for scripts and tests)', false)
    .action(async (flags: DevFlags) => {
      // What dev runs is loaded only when it runs: `falconer --help` lists this command without it.
      const { runDev } = await import('./dev-run.ts');
      await runDev(flags);
    });
}
