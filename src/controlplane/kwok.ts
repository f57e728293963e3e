import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';

/** kwok kinds served as CRs, so tests can add per-namespace exec, logs and stage behaviour at run time. */
export const KWOK_CRD_KINDS = ['Stage', 'Exec', 'ClusterExec', 'Logs', 'ClusterLogs', 'Attach', 'ClusterAttach'] as const;

/** Label that marks verification Job pods; kwok leaves them running until a test decides their outcome. */
export const VERIFICATION_COMPONENT_LABEL = 'app.kubernetes.io/component';
export const VERIFICATION_COMPONENT_VALUE = 'verification';

function loadYamlObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null);
}

export function kwokCrds(kwokDataDir: string): KubernetesObject[] {
  const wanted = new Set(KWOK_CRD_KINDS.map((k) => k.toLowerCase()));
  const dir = join(kwokDataDir, 'crds');
  return readdirSync(dir)
    .flatMap((f) => loadYamlObjects(join(dir, f)))
    .filter((crd) => {
      const kind = (crd as { spec?: { names?: { kind?: string } } }).spec?.names?.kind ?? '';
      return wanted.has(kind.toLowerCase());
    });
}

type Stage = KubernetesObject & { spec: { selector?: { matchExpressions?: unknown[] } } };

/**
 * kwok's own default stages (shipped in the kwok module we build): nodes become Ready and keep a
 * lease, pods become Running/Ready, Job pods complete, deleted pods go away. One change: Job pods
 * labelled as verification are left running, so a test decides whether "Falco" accepted the rules.
 */
export function defaultStages(kwokDataDir: string): KubernetesObject[] {
  const dir = join(kwokDataDir, 'stages');
  const files = [
    'node/fast/node-initialize.yaml',
    'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
    'pod/fast/pod-ready.yaml',
    'pod/fast/pod-complete.yaml',
    'pod/fast/pod-delete.yaml',
  ];
  return files.flatMap((f) => loadYamlObjects(join(dir, f))).map((stage) => {
    if (stage.metadata?.name !== 'pod-complete') return stage;
    const s = structuredClone(stage) as Stage;
    s.spec.selector ??= {};
    s.spec.selector.matchExpressions = [
      ...(s.spec.selector.matchExpressions ?? []),
      { key: `.metadata.labels["${VERIFICATION_COMPONENT_LABEL}"]`, operator: 'NotIn', values: [VERIFICATION_COMPONENT_VALUE] },
    ];
    return s;
  });
}

/** Exec into any simulated pod runs the command on this machine, as kwok's ClusterExec does. */
export function defaultClusterExec(): KubernetesObject {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterExec',
    metadata: { name: 'falconer-local-exec' },
    spec: { execs: [{ local: { envs: [{ name: 'FALCONER_SIMULATED_POD', value: 'true' }] } }] },
  } as KubernetesObject;
}

/**
 * How kwok is started. Exec into a simulated pod runs the command on this machine, and Falco pods
 * name their binary by its path in the image (`/usr/bin/falco`). So when exec-path folders are
 * given and we are root, kwok runs in a private mount namespace where they are laid over
 * /usr/bin: there `/usr/bin/falco` is the exec-path's falco. Nothing changes outside kwok.
 */
export function kwokCommand(binary: string, args: readonly string[], execPath: readonly string[]): { command: string; args: string[] } {
  if (execPath.length === 0 || process.getuid?.() !== 0) return { command: binary, args: [...args] };
  const script = 'mount -t overlay falconer-exec-path -o "lowerdir=$1" /usr/bin && shift && exec "$@"';
  return {
    command: 'unshare',
    args: ['--mount', '--propagation', 'private', '/bin/sh', '-c', script, 'kwok-exec-path', [...execPath, '/usr/bin'].join(':'), binary, ...args],
  };
}

export function kwokArgs(options: { kubeconfig: string; port: number; configFile: string }): string[] {
  return [
    `--kubeconfig=${options.kubeconfig}`,
    `--config=${options.configFile}`,
    // Only the nodes createNodes made (annotated fake): with --manage-all-nodes kwok takes over a
    // real kubelet's node lease and patches its pods' status.
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    `--enable-crds=${KWOK_CRD_KINDS.join(',')}`,
    '--node-ip=127.0.0.1',
    `--node-port=${options.port}`,
    `--server-address=127.0.0.1:${options.port}`,
    '--node-lease-duration-seconds=40',
    '--cidr=10.0.0.0/16',
  ];
}

/**
 * Our own KwokConfiguration, so kwok never picks up a stray ~/.kwok/kwok.yaml. A config file's
 * options replace kwok's built-in defaults wholesale, so the worker counts must be spelled out:
 * left at zero, kwok refuses to start its node and pod controllers.
 */
export const KWOK_CONFIG = [
  'apiVersion: config.kwok.x-k8s.io/v1alpha1',
  'kind: KwokConfiguration',
  'options:',
  '  enableDebuggingHandlers: true',
  '  podPlayStageParallelism: 16',
  '  nodePlayStageParallelism: 8',
  '  nodeLeaseParallelism: 8',
  '  podsOnNodeSyncParallelism: 8',
  '  enablePodsOnNodeSyncListPager: true',
  '  enablePodsOnNodeSyncStreamWatch: true',
  '',
].join('\n');
