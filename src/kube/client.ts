import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigOptions {
  /** An explicit kubeconfig file (e.g. from --kubeconfig); wins over everything else. */
  kubeconfigPath?: string;
  /** A context of that kubeconfig other than its current one. */
  context?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the Kubernetes identity in the order a kubectl user expects: an explicit path, then
 * $KUBECONFIG, then the in-cluster ServiceAccount when running in a pod, then ~/.kube/config.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  const fromEnv = env['KUBECONFIG'];
  if (options.kubeconfigPath !== undefined) kc.loadFromFile(options.kubeconfigPath);
  else if (fromEnv !== undefined && fromEnv !== '') kc.loadFromDefault();
  else if (env['KUBERNETES_SERVICE_HOST'] !== undefined) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (options.context !== undefined) kc.setCurrentContext(options.context);
  return kc;
}

/** The namespace of the current context, or of the in-cluster ServiceAccount, else "default". */
export function defaultNamespace(kc: KubeConfig): string {
  const ctx = kc.getContextObject(kc.getCurrentContext());
  return ctx?.namespace ?? 'default';
}
