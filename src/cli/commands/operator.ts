import { Command, InvalidArgumentError, Option } from 'commander';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

export interface OperatorFlags {
  kubeconfig?: string;
  namespace?: string;
  leaderElect: boolean;
  leaseNamespace?: string;
  metricsPort: number;
  healthPort: number;
  bindAddress: string;
  workers: number;
  verification: 'job' | 'static';
  falcoMetrics: 'pod-proxy' | 'off';
}

/** `falconer operator`: reconcile FalcoRuleSets and FalcoMonitors until SIGTERM. */
export function registerOperatorCommand(program: Command): void {
  program
    .command('operator')
    .description('Run the Falconer operator: verify rule sets and run Falco DaemonSets for FalcoMonitors')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)')
    .option('--namespace <ns>', 'watch only this namespace (default: all namespaces)')
    .option('--leader-elect', 'campaign for a Lease so that only one replica reconciles', false)
    .option('--lease-namespace <ns>', 'namespace of the leader Lease (default: the current namespace)')
    .option('--metrics-port <port>', 'port of /metrics', parsePort, 8080)
    .option('--health-port <port>', 'port of /healthz and /readyz', parsePort, 8081)
    .option('--bind-address <addr>', 'address the two ports listen on', '0.0.0.0')
    .addOption(
      new Option('--verification <mode>', 'job: every rule set is loaded by the monitor\'s real Falco in a Job before it reaches a node; static: the in-process check alone (for clusters that cannot run Falco)')
        .choices(['job', 'static'])
        .default('job'),
    )
    .addOption(
      new Option('--falco-metrics <mode>', "pod-proxy: read each Falco pod's /metrics through the API server's pod proxy (status.loadedNodes, RulesLoaded); off: do not (for clusters whose nodes run no Falco)")
        .choices(['pod-proxy', 'off'])
        .default('pod-proxy'),
    )
    .option('--workers <n>', 'concurrent reconciles per controller', (v) => Math.max(1, Number.parseInt(v, 10) || 1), 2)
    .action(async (flags: OperatorFlags) => {
      // Loaded when the command runs; the build makes it a bundle of its own (src/build/bundle.ts).
      const { runOperator } = await import('./operator-run.ts');
      await runOperator(flags);
    });
}
