/**
 * The integration tests' window on the real local control plane. `npm test` (test/run.ts) starts
 * one cluster per run and hands its folder to every test process through FALCONER_TEST_CLUSTER_DIR;
 * a test file run on its own starts a private cluster instead. Tests isolate by namespace.
 *
 * What is simulated, and only that: kwok plays the kubelet. Exec into a pod runs the command on
 * this machine with the stand-in `falco` (test/support/falco-standin, which replays recorded real
 * Falco output) first on PATH; pod logs come from files the tests choose.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { VERIFICATION_COMPONENT_LABEL, VERIFICATION_COMPONENT_VALUE } from '../../src/controlplane/kwok.ts';
import { startCluster } from '../../src/controlplane/cluster.ts';
import { serverSideApply } from '../../src/controlplane/setup.ts';
import { runCommand } from '../../src/controlplane/run-command.ts';
import type { CommandResult } from '../../src/controlplane/run-command.ts';
import { readState } from '../../src/controlplane/state.ts';
import { realNodeUnsupportedReason } from '../../src/node/capability.ts';
import { realNodeUnavailableReason } from '../../src/node/lock.ts';
import type { RealNodeRecord } from '../../src/node/record.ts';
import { criLogFileFromFile } from './cri-log.ts';
import { verificationOutcomeObjects } from './kwok-behaviour.ts';
import { VERIFY_CONTAINER } from '../../src/operator/builders/verification-job.ts';
import type { VerificationOutcome } from './kwok-behaviour.ts';

export interface TestCluster {
  kubeconfigPath: string;
  /** kwok's simulated nodes (the real node is not among them). */
  nodeNames: string[];
  /** The real node (kubelet, containerd, runc), when this machine can run one; see realNodeSkipReason(). */
  realNode?: RealNodeRecord;
  binDir: string;
  /** Folder of the cluster's component logs (etcd, kube-apiserver, kwok, ...). */
  logsDir: string;
  kubeConfig(): KubeConfig;
  createNamespace(prefix: string): Promise<string>;
  kubectl(args: readonly string[], options?: { stdin?: string }): Promise<CommandResult>;
  /** The log of that pod's container reads from `file`, in CRI log format (see cri-log.ts). */
  setPodLogs(namespace: string, podName: string, container: string, file: string): Promise<void>;
  /** Extra environment for commands exec'd into that pod (kwok Exec), e.g. a stand-in delay. */
  setExecEnv(namespace: string, podName: string, env: Record<string, string>): Promise<void>;
  /**
   * From now on, verification Job pods in the namespace complete or fail, and their `verify`
   * container prints the plain-text `logFile` (converted to CRI format for kwok).
   */
  setVerificationOutcome(namespace: string, outcome: VerificationOutcome): Promise<void>;
}

/** Set by test/run.ts: why the shared cluster has no real node (empty when it has one). */
export const REAL_NODE_SKIP_ENV = 'FALCONER_TEST_REAL_NODE_SKIP';

/**
 * Why real-node tests must be skipped in this run, or undefined when the cluster has a real node.
 * Known before any test starts, so the skip shows in the test output with its reason.
 */
export function realNodeSkipReason(): string | undefined {
  const fromRunner = process.env[REAL_NODE_SKIP_ENV];
  if (fromRunner !== undefined) return fromRunner === '' ? undefined : fromRunner;
  return realNodeUnsupportedReason() ?? realNodeUnavailableReason();
}

export function standinDir(): string {
  return new URL('./falco-standin/', import.meta.url).pathname;
}

let shared: Promise<TestCluster> | undefined;

export function getTestCluster(): Promise<TestCluster> {
  shared ??= connectOrStart();
  return shared;
}

async function connectOrStart(): Promise<TestCluster> {
  const dir = process.env['FALCONER_TEST_CLUSTER_DIR'];
  if (dir !== undefined && dir !== '') {
    const state = readState(dir);
    if (state === undefined) throw new Error(`FALCONER_TEST_CLUSTER_DIR=${dir} holds no running cluster state`);
    return makeTestCluster(state.kubeconfigPath, state.nodes, state.binDir, join(dir, 'logs'), state.realNode);
  }
  const cluster = await startCluster({
    name: `test-${process.pid}`,
    nodes: 3,
    execPath: [standinDir(), nodeBinDir()],
    realNode: realNodeSkipReason() === undefined,
  });
  process.once('beforeExit', () => void cluster.stop());
  return makeTestCluster(cluster.kubeconfigPath, cluster.nodeNames, cluster.binDir, join(cluster.dir, 'logs'), cluster.realNode);
}

/** The folder of the Node.js running us (Node 24): the stand-in's `#!/usr/bin/env node` must find it. */
export function nodeBinDir(): string {
  return process.execPath.replace(/\/node$/, '');
}

/**
 * kwok plays a new Stage only on the next event of a pod: verification pods already running
 * would never see it. An annotation change is such an event; it touches nothing the operator owns.
 */
async function touchVerificationPods(kc: KubeConfig, namespace: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `${VERIFICATION_COMPONENT_LABEL}=${VERIFICATION_COMPONENT_VALUE}` });
  for (const pod of pods.items) {
    await core.patchNamespacedPod(
      {
        name: pod.metadata?.name ?? '',
        namespace,
        body: { metadata: { annotations: { 'falconer.dev/test-outcome-set': new Date().toISOString() } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}

/**
 * Waits until kwok plays the namespace's verification Stage as `outcome` says. kwok learns of a
 * new or changed Stage through its own watch, which lags after an API server restart (seen in
 * test/faults: a verification pod that turned Running before kwok knew the Stage was never
 * finished, and its Job hit its deadline). A probe pod — verification label, no Falconer label,
 * so the operator never sees it — is touched until kwok finishes it with the expected phase.
 */
async function waitForVerificationStage(kc: KubeConfig, namespace: string, nodeName: string, outcome: VerificationOutcome, timeoutMs = 60_000): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `falconer-stage-probe-${randomBytes(3).toString('hex')}`;
  const expected = outcome.result === 'succeed' ? 'Succeeded' : 'Failed';
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, labels: { [VERIFICATION_COMPONENT_LABEL]: VERIFICATION_COMPONENT_VALUE } },
      spec: { nodeName, restartPolicy: 'Never', containers: [{ name: VERIFY_CONTAINER, image: 'falconer.dev/stage-probe' }] },
    },
  });
  try {
    const deadline = Date.now() + timeoutMs;
    for (let touch = 0; Date.now() < deadline; touch += 1) {
      const pod = await core.readNamespacedPod({ name, namespace });
      if (pod.status?.phase === expected) return;
      await core.patchNamespacedPod(
        { name, namespace, body: { metadata: { annotations: { 'falconer.dev/stage-probe': String(touch) } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`kwok did not play the verification Stage of ${namespace} (a probe pod did not reach ${expected} within ${timeoutMs / 1000} s)`);
  } finally {
    await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}

export function makeTestCluster(kubeconfigPath: string, nodeNames: string[], binDir: string, logsDir: string, realNode?: RealNodeRecord): TestCluster {
  const kubeConfig = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    return kc;
  };
  const apply = (objects: Parameters<typeof serverSideApply>[1]): Promise<void> => serverSideApply(kubeConfig(), objects);
  return {
    kubeconfigPath,
    nodeNames,
    ...(realNode !== undefined ? { realNode } : {}),
    binDir,
    logsDir,
    kubeConfig,
    createNamespace: async (prefix) => {
      const name = `${prefix}-${randomBytes(3).toString('hex')}`.toLowerCase();
      await kubeConfig()
        .makeApiClient(CoreV1Api)
        .createNamespace({ body: { metadata: { name, labels: { 'falconer.dev/test': 'true' } } } });
      return name;
    },
    kubectl: (args, options = {}) =>
      runCommand(join(binDir, 'kubectl'), ['--kubeconfig', kubeconfigPath, ...args], {
        allowFailure: true,
        ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      }),
    setPodLogs: (namespace, podName, container, file) =>
      apply([
        {
          apiVersion: 'kwok.x-k8s.io/v1alpha1',
          kind: 'Logs',
          metadata: { name: podName, namespace },
          spec: { logs: [{ containers: [container], logsFile: file, follow: true }] },
        } as Parameters<typeof serverSideApply>[1][number],
      ]),
    setExecEnv: (namespace, podName, env) =>
      apply([
        {
          apiVersion: 'kwok.x-k8s.io/v1alpha1',
          kind: 'Exec',
          metadata: { name: podName, namespace },
          spec: { execs: [{ local: { envs: Object.entries(env).map(([name, value]) => ({ name, value })) } }] },
        } as Parameters<typeof serverSideApply>[1][number],
      ]),
    setVerificationOutcome: async (namespace, outcome) => {
      await apply(verificationOutcomeObjects(namespace, { ...outcome, logFile: criLogFileFromFile(outcome.logFile) }));
      await waitForVerificationStage(kubeConfig(), namespace, nodeNames[0] ?? '', outcome);
      await touchVerificationPods(kubeConfig(), namespace);
    },
  };
}
