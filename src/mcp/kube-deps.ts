import { setTimeout as sleep } from 'node:timers/promises';
import { ApiException, CoreV1Api, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP_VERSION, FALCO_CONTAINER, FIELD_MANAGER, MONITOR_KIND, RULESET_KIND } from '../api/names.ts';
import { KubeApiError, SimulatedNodeError, describeError } from '../core/errors.ts';
import { createPodExec } from '../kube/exec.ts';
import { inPodArgv } from '../falco/argv.ts';
import { createPodLogs } from '../kube/logs.ts';
import { listFalcoPods } from '../kube/pods.ts';
import type { FalcoPod } from '../kube/pods.ts';
import { PooledKubeConfig } from '../kube/pooled-kube-config.ts';
import { KubeTransport } from '../kube/transport.ts';
import type { FalcoFleet, FalconerObject, FalconerObjects } from './deps.ts';

/** Falco pods reached through the API server: exec and logs of the `falco` container only. */
export function kubeFleet(kc: KubeConfig, maxOutputBytes: number): FalcoFleet {
  // Lists and log reads each keep their connections (no TLS handshake per call); exec has its own
  // websocket.
  const pooled = new PooledKubeConfig(kc);
  const core = pooled.makeApiClient(CoreV1Api);
  const exec = createPodExec(kc);
  const logs = createPodLogs(new KubeTransport(kc));
  return {
    listPods: (namespace, monitor) => listFalcoPods(core, namespace, monitor),
    exec: (pod, argv, o) =>
      exec({
        namespace: pod.namespace,
        pod: pod.name,
        container: FALCO_CONTAINER,
        command: inPodArgv(pod.invocation, argv),
        timeoutMs: o.timeoutMs,
        signal: o.signal,
        maxOutputBytes,
        ...(o.stdin === undefined ? {} : { stdin: o.stdin }),
      }).catch((err: unknown) => {
        throw pod.simulated === true && NOT_FOUND.test(describeError(err)) ? noFalcoOnSimulatedNode(pod, err) : err;
      }),
    readLog: (pod, o) => logs({ namespace: pod.namespace, pod: pod.name, container: FALCO_CONTAINER, ...o }),
  };
}

/** What kwok's local exec answers when the command does not exist on the machine. */
const NOT_FOUND = /error executing command in container: cmd start: .*(no such file or directory|executable file not found)/;

/** One plain answer instead of a raw exec error for every tool and pod. */
function noFalcoOnSimulatedNode(pod: FalcoPod, cause: unknown): SimulatedNodeError {
  return new SimulatedNodeError(
    `No Falco runs in pod ${pod.namespace}/${pod.name}: node ${pod.node ?? '(none)'} is simulated (kwok), where containers do not run. ` +
      'Ask a cluster with real nodes, or the local cluster with its real node (falconer cluster up --real-node).',
    { cause },
  );
}

function statusOf(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

function apiError(action: string, err: unknown): KubeApiError {
  const status = statusOf(err);
  const hint = status === 403 ? ' (the server\'s identity lacks RBAC for this; see deploy/rbac/mcp-role.yaml)' : '';
  return new KubeApiError(`${action} failed: ${status === undefined ? describeError(err) : `HTTP ${status}`}${hint}`, {
    ...(status === undefined ? {} : { status }),
    cause: err,
  });
}

/**
 * Reads retry a 429 a few times, as client-go does: the API server sends it under load and
 * while a just-created CRD's storage is still starting.
 */
async function withRetryOn429<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (statusOf(err) !== 429 || attempt >= 4) throw err;
      await sleep(250 * attempt);
    }
  }
}

/** Falconer's custom resources through the generic object API (discovery finds the plural). */
export function kubeObjects(kc: KubeConfig): FalconerObjects {
  const api = KubernetesObjectApi.makeApiClient(new PooledKubeConfig(kc));
  const list = async (kind: string, namespace: string): Promise<FalconerObject[]> => {
    try {
      return (await withRetryOn429(() => api.list<KubernetesObject>(API_GROUP_VERSION, kind, namespace))).items as FalconerObject[];
    } catch (err) {
      throw apiError(`Listing ${kind}s in ${namespace}`, err);
    }
  };
  const get = async (kind: string, namespace: string, name: string): Promise<FalconerObject | undefined> => {
    try {
      const header = { apiVersion: API_GROUP_VERSION, kind, metadata: { name, namespace } };
      return (await withRetryOn429(() => api.read<KubernetesObject>(header))) as FalconerObject;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw apiError(`Reading ${kind} ${namespace}/${name}`, err);
    }
  };
  return {
    listMonitors: (ns) => list(MONITOR_KIND, ns),
    getMonitor: (ns, name) => get(MONITOR_KIND, ns, name),
    listRuleSets: (ns) => list(RULESET_KIND, ns),
    getRuleSet: (ns, name) => get(RULESET_KIND, ns, name),
    applyMonitor: async (monitor, force, dryRun = false) => {
      const key = `${monitor.metadata?.namespace ?? ''}/${monitor.metadata?.name ?? ''}`;
      try {
        const obj = monitor as KubernetesObject;
        return (await api.patch(obj, undefined, dryRun ? 'All' : undefined, FIELD_MANAGER, force, PatchStrategy.ServerSideApply)) as FalconerObject;
      } catch (err) {
        if (statusOf(err) === 409) {
          const message = `Applying FalcoMonitor ${key} conflicts with fields another manager owns; retry with takeOwnership: true to take them over.`;
          throw new KubeApiError(message, { status: 409, cause: err });
        }
        throw apiError(`Applying FalcoMonitor ${key}`, err);
      }
    },
  };
}
