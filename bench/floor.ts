/**
 * The floor every operator latency is compared with: one write through client-node and the
 * watch event it causes, back in the same process — the least any controller reacting to a
 * change and writing in answer can take on this control plane.
 */
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { WatchHub } from './watch.ts';

export interface Floor {
  /** One write → watch-event round trip, in ms. */
  once(): Promise<number>;
  close(): void;
}

const NAME = 'bench-floor';

export async function writeWatchFloor(kc: KubeConfig, namespace: string): Promise<Floor> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: NAME }, data: { n: '0' } } });
  const hub = new WatchHub(kc, `/api/v1/namespaces/${namespace}/configmaps`, { fieldSelector: `metadata.name=${NAME}` });
  await hub.watch.start();
  let n = 0;
  return {
    async once() {
      const value = String(++n);
      const seen = hub.waitFor((o) => (o as V1ConfigMap).data?.['n'] === value, 30_000, `floor write ${value}`);
      const started = performance.now();
      await core.patchNamespacedConfigMap({ name: NAME, namespace, body: { data: { n: value } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      return (await seen) - started;
    },
    close: () => hub.watch.stop(),
  };
}
