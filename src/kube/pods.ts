import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { FALCO_CONTAINER, falcoPodSelector } from '../api/names.ts';
import { DEFAULT_INVOCATION, invocationFromContainer } from '../falco/argv.ts';
import type { FalcoInvocation } from '../falco/argv.ts';
import { FalconerError, KubeApiError, describeError } from '../core/errors.ts';
import { compareNames } from '../core/compare.ts';

/** A Falco pod of a monitor, reduced to what exec and log reads need. */
export interface FalcoPod {
  namespace: string;
  name: string;
  node?: string;
  ready: boolean;
  /** How its `falco` container runs Falco; exec runs the same binary and configuration. */
  invocation: FalcoInvocation;
  /** On a simulated (kwok) node: its container runs nowhere, so exec finds no Falco. */
  simulated?: true;
}

/** Ready means Running, condition Ready=True and not being deleted: exec would fail otherwise. */
export function isPodReady(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp !== undefined) return false;
  if (pod.status?.phase !== 'Running') return false;
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function toFalcoPod(pod: V1Pod): FalcoPod {
  const out: FalcoPod = {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    ready: isPodReady(pod),
    invocation: podInvocation(pod),
  };
  if (isSimulated(pod)) out.simulated = true;
  if (pod.spec?.nodeName !== undefined) out.node = pod.spec.nodeName;
  return out;
}

/**
 * A real kubelet reports the ID of every container it started (`containerd://…`); kwok's
 * simulated kubelet marks containers running without one.
 */
export function isSimulated(pod: V1Pod): boolean {
  const status = pod.status?.containerStatuses?.find((c) => c.name === FALCO_CONTAINER);
  return status?.state?.running !== undefined && (status.containerID ?? '') === '';
}

/** A pod whose container cannot be read as a Falco invocation gets the image's default; exec then reports what runs. */
function podInvocation(pod: V1Pod): FalcoInvocation {
  const container = pod.spec?.containers.find((c) => c.name === FALCO_CONTAINER);
  if (container === undefined) return DEFAULT_INVOCATION;
  try {
    return invocationFromContainer(container.command, container.args);
  } catch (err) {
    return { program: '', options: [], refused: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Every pod of the monitor, found only through its label selector: a caller can never name an
 * arbitrary pod to exec into.
 */
export async function listFalcoPods(core: CoreV1Api, namespace: string, monitor: string): Promise<FalcoPod[]> {
  try {
    const list = await core.listNamespacedPod({ namespace, labelSelector: falcoPodSelector(monitor) });
    return list.items.map(toFalcoPod).sort((a, b) => compareNames(a.name, b.name));
  } catch (err) {
    throw new KubeApiError(`Listing the Falco pods of monitor ${namespace}/${monitor} failed: ${describeError(err)}`, {
      cause: err,
    });
  }
}

/** One Ready pod: the one on `node` when given, else the first by name (stable across calls). */
export function choosePod(pods: readonly FalcoPod[], monitorKey: string, node?: string): FalcoPod {
  const ready = pods.filter((p) => p.ready);
  if (node !== undefined) {
    const onNode = pods.find((p) => p.node === node);
    if (onNode === undefined) {
      throw new FalconerError(
        `Monitor ${monitorKey} has no Falco pod on node ${node}; its pods run on: ${describeNodes(pods)}.`,
      );
    }
    if (!onNode.ready) throw new FalconerError(`The Falco pod ${onNode.name} on node ${node} is not Ready.`);
    return onNode;
  }
  const first = ready[0];
  if (first === undefined) {
    throw new FalconerError(
      pods.length === 0
        ? `Monitor ${monitorKey} has no Falco pods. Is the monitor created and not suspended?`
        : `None of the ${pods.length} Falco pods of monitor ${monitorKey} is Ready.`,
    );
  }
  return first;
}

function describeNodes(pods: readonly FalcoPod[]): string {
  const nodes = pods.map((p) => p.node).filter((n): n is string => n !== undefined);
  return nodes.length === 0 ? 'no node' : nodes.slice(0, 20).join(', ');
}
