import { VersionApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { startCluster } from '../controlplane/cluster.ts';
import type { LocalCluster } from '../controlplane/cluster.ts';
import type { ProgressPrinter } from '../cli/progress.ts';
import { loadKubeConfig } from '../kube/client.ts';

export interface ChosenCluster {
  kubeConfig: KubeConfig;
  kubeconfigPath: string | undefined;
  /** Set when `falconer dev` booted the embedded control plane (and so must stop it). */
  local: LocalCluster | undefined;
  description: string;
}

/** True when the kubeconfig's cluster answers /version within the deadline. */
async function reachable(kc: KubeConfig, timeoutMs: number): Promise<boolean> {
  try {
    const version = kc.makeApiClient(VersionApi).getCode();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref());
    await Promise.race([version, timeout]);
    return true;
  } catch {
    return false;
  }
}

function configuredKubeConfig(kubeconfigPath: string | undefined): KubeConfig | undefined {
  try {
    const kc = loadKubeConfig(kubeconfigPath !== undefined ? { kubeconfigPath } : {});
    return kc.getCurrentCluster() === null ? undefined : kc;
  } catch {
    return undefined;
  }
}

/**
 * The cluster `falconer dev` works on: the configured one when it answers, else the embedded
 * local control plane, booted (and built, the first time) here.
 */
export async function chooseCluster(options: {
  forceLocal: boolean;
  clusterName: string;
  kubeconfigPath?: string;
  nodes: number;
  execPath: string[];
  /** Add the real node to the embedded control plane (src/node). */
  realNode?: boolean;
  progress: ProgressPrinter;
}): Promise<ChosenCluster> {
  if (!options.forceLocal) {
    const kc = configuredKubeConfig(options.kubeconfigPath);
    if (kc !== undefined && (await reachable(kc, 3000))) {
      const server = kc.getCurrentCluster()?.server ?? '?';
      return { kubeConfig: kc, kubeconfigPath: options.kubeconfigPath ?? process.env['KUBECONFIG'], local: undefined, description: `the configured cluster at ${server}` };
    }
    options.progress.step('No reachable cluster in the kubeconfig: booting the embedded local control plane');
  }
  const local = await startCluster({
    name: options.clusterName,
    nodes: options.nodes,
    execPath: options.execPath,
    realNode: options.realNode === true,
    onStep: options.progress.step,
    onBuildProgress: options.progress.build,
  });
  return {
    kubeConfig: local.kubeConfig(),
    kubeconfigPath: local.kubeconfigPath,
    local,
    description: `the local control plane (${local.nodeNames.length} simulated nodes${local.realNode !== undefined ? ` and the real node ${local.realNode.name}` : ''})`,
  };
}
