import { ApiextensionsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject, V1CustomResourceDefinition, V1Node } from '@kubernetes/client-node';
import { defaultClusterExec, defaultStages, kwokCrds } from './kwok.ts';
import { waitFor } from './probe.ts';

const MANAGER = 'falconer-controlplane';

export async function serverSideApply(kc: KubeConfig, objects: readonly KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const crdApi = kc.makeApiClient(ApiextensionsV1Api);
  for (const obj of objects) {
    if (obj.kind === 'CustomResourceDefinition') {
      // KubernetesObjectApi round-trips known kinds through client-node's model classes, which
      // drop the x-kubernetes-* schema keys; the typed API sends the body untouched.
      await crdApi.patchCustomResourceDefinition(
        { name: obj.metadata?.name ?? '', body: obj as V1CustomResourceDefinition, fieldManager: MANAGER, force: true },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      continue;
    }
    await client.patch(obj, undefined, undefined, MANAGER, true, PatchStrategy.ServerSideApply);
  }
}

export async function waitForCrdsEstablished(kc: KubeConfig, names: readonly string[], timeoutMs: number): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  for (const name of names) {
    await waitFor(
      `CRD ${name} to be Established`,
      async () => {
        const crd = await api.readCustomResourceDefinition({ name });
        return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
      },
      { timeoutMs, intervalMs: 100 },
    );
  }
}

export async function installKwokResources(kc: KubeConfig, kwokDataDir: string): Promise<void> {
  const crds = kwokCrds(kwokDataDir);
  await serverSideApply(kc, crds);
  await waitForCrdsEstablished(kc, crds.map((c) => c.metadata?.name ?? ''), 60_000);
  await serverSideApply(kc, [...defaultStages(kwokDataDir), defaultClusterExec()]);
}

export function nodeName(index: number): string {
  return `kwok-node-${index}`;
}

/** Plain Node objects with no taint and no address: kwok's node stages fill in the status. */
export async function createNodes(kc: KubeConfig, count: number, offset = 0): Promise<string[]> {
  const api = kc.makeApiClient(CoreV1Api);
  const names: string[] = [];
  for (let i = offset; i < offset + count; i++) {
    const name = nodeName(i);
    const body: V1Node = {
      metadata: {
        name,
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      },
    };
    await api.createNode({ body });
    names.push(name);
  }
  return names;
}

export async function waitForNodesReady(kc: KubeConfig, names: readonly string[], timeoutMs: number): Promise<void> {
  const api = kc.makeApiClient(CoreV1Api);
  const wanted = new Set(names);
  await waitFor(
    `${names.length} nodes to be Ready`,
    async () => {
      const list = await api.listNode();
      const ready = list.items.filter(
        (n) => wanted.has(n.metadata?.name ?? '') && (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready.length === wanted.size;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** The serviceaccount controller has run once this exists: kube-controller-manager is working. */
export async function waitForDefaultServiceAccount(kc: KubeConfig, timeoutMs: number): Promise<void> {
  const api = kc.makeApiClient(CoreV1Api);
  await waitFor(
    'the default ServiceAccount',
    async () => {
      try {
        await api.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs, intervalMs: 200 },
  );
}
