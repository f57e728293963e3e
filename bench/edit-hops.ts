/**
 * The two writes an edit's path cannot avoid, each timed from the request to its watch event,
 * beside the floor: the verification Job's server-side apply (create), and the DaemonSet's
 * server-side apply when only the bundle changes. They are the operator's own writes, built by
 * its own builders, on throwaway objects that start no pods (a suspended Job; a DaemonSet whose
 * node selector matches no node), so they measure the API server, not a rollout.
 */
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject, V1DaemonSet, V1Job } from '@kubernetes/client-node';
import { falcoMonitorSchema } from '../src/api/monitor.ts';
import { imageReference } from '../src/api/monitor-image.ts';
import { FIELD_MANAGER } from '../src/api/names.ts';
import { BUNDLE_HASH_ANNOTATION, buildBundle } from '../src/operator/builders/bundle.ts';
import { desiredDaemonSet } from '../src/operator/builders/daemonset.ts';
import { desiredVerificationJob } from '../src/operator/builders/verification-job.ts';
import { WatchHub } from './watch.ts';

export interface EditHops {
  /** One Job apply (create) → its ADDED event, in ms. */
  job(): Promise<number>;
  /** One DaemonSet apply that changes the bundle → the event carrying it, in ms. */
  daemonSet(): Promise<number>;
  close(): void;
}

export async function startEditHops(kc: KubeConfig, namespace: string): Promise<EditHops> {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const jobs = new WatchHub(kc, `/apis/batch/v1/namespaces/${namespace}/jobs`, { labelSelector: 'falconer.dev/monitor=hop' });
  const daemonSets = new WatchHub(kc, `/apis/apps/v1/namespaces/${namespace}/daemonsets`, { labelSelector: 'falconer.dev/monitor=hop' });
  await Promise.all([jobs.watch.start(), daemonSets.watch.start()]);
  const monitor = falcoMonitorSchema.parse({
    apiVersion: 'falconer.dev/v1alpha1',
    kind: 'FalcoMonitor',
    metadata: { name: 'hop', namespace },
    spec: { nodeSelector: { 'falconer.dev/bench': 'no-such-node' } },
  });
  const apply = (o: KubernetesObject): Promise<KubernetesObject> => objects.patch(o, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  const daemonSet = (n: number): V1DaemonSet =>
    desiredDaemonSet({ monitor: 'hop', namespace, spec: monitor.spec, bundleHash: `hop-${n}`, bundleConfigMap: `hop-rules-${n}`, configConfigMap: 'hop-config', configHash: 'c', serviceAccount: 'hop-falco' });
  const job = (n: number): V1Job => {
    const candidate = buildBundle([{ name: 'hop', content: `- list: hop_${n}\n  items: []\n`, contentHash: `hop-${n}` }], true);
    const desired = desiredVerificationJob({ monitor: 'hop', namespace, image: imageReference(monitor.spec.image), imagePullPolicy: 'IfNotPresent', candidate, members: [], falcoConfig: '', activeDeadlineSeconds: 120, ttlSecondsAfterFinished: 60 });
    return { ...desired, spec: { ...desired.spec, template: desired.spec?.template ?? {}, suspend: true } };
  };
  let n = 0;
  await apply(daemonSet(n));
  const timed = async (hub: WatchHub, object: KubernetesObject, seen: (o: KubernetesObject) => boolean, what: string): Promise<number> => {
    const event = hub.waitFor(seen, 30_000, what);
    const started = performance.now();
    await apply(object);
    return (await event) - started;
  };
  return {
    job() {
      const desired = job(++n);
      return timed(jobs, desired, (o) => o.metadata?.name === desired.metadata?.name, 'hop Job');
    },
    daemonSet() {
      const hash = `hop-${++n}`;
      return timed(daemonSets, daemonSet(n), (o) => (o as V1DaemonSet).spec?.template.metadata?.annotations?.[BUNDLE_HASH_ANNOTATION] === hash, 'hop DaemonSet');
    },
    close() {
      jobs.watch.stop();
      daemonSets.watch.stop();
    },
  };
}
