import type { KubernetesObject } from '@kubernetes/client-node';

interface MonitorLike {
  status?: { bundleHash?: string; readyNodes?: number; conditions?: Array<{ type: string; status: string; reason?: string }> };
}

/** The monitor says Ready=True/AllNodesReady with Falco ready on `nodes` nodes. */
export function monitorReady(obj: KubernetesObject, name: string, nodes: number): boolean {
  if (obj.metadata?.name !== name) return false;
  const status = (obj as MonitorLike).status;
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && ready.reason === 'AllNodesReady' && status?.readyNodes === nodes;
}

export function bundleHashOf(obj: KubernetesObject): string {
  return (obj as MonitorLike).status?.bundleHash ?? '';
}
