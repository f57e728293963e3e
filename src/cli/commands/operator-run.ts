import { defaultNamespace, loadKubeConfig } from '../../kube/client.ts';
import { createLogger } from '../../log/logger.ts';
import { trimHeapAfterBursts } from '../../operator/runtime/heap-trim.ts';
import { startOperator } from '../../operator/start-operator.ts';
import type { OperatorFlags } from './operator.ts';

/**
 * The body of `falconer operator`: runs the operator until SIGINT or SIGTERM. The shipped build
 * bundles this module and all it imports into one file, dist/cli/operator-run.js (src/build/bundle.ts
 * says why), so it shares no module with the rest of the command line but the errors' brand.
 */
export async function runOperator(flags: OperatorFlags): Promise<void> {
  const logger = createLogger();
  const kubeConfig = loadKubeConfig(flags.kubeconfig !== undefined ? { kubeconfigPath: flags.kubeconfig } : {});
  const operator = await startOperator({
    kubeConfig,
    logger,
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    leaderElection: flags.leaderElect ? { namespace: flags.leaseNamespace ?? defaultNamespace(kubeConfig) } : false,
    metricsPort: flags.metricsPort,
    healthPort: flags.healthPort,
    bindAddress: flags.bindAddress,
    workers: flags.workers,
    settings: { verification: flags.verification },
    ...(flags.falcoMetrics === 'off' ? { falcoMetrics: false as const } : {}),
  });
  const trim = trimHeapAfterBursts({ quiet: () => operator.quiet() });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info('Shutting down on signal');
  trim.stop();
  await operator.stop();
}
