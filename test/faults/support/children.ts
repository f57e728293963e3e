/**
 * Leftovers after a scenario: what the operator created must exist once, and only while needed.
 * Names are deterministic, so a duplicate shows up as a second object for the same purpose (two
 * bundle ConfigMaps left for one monitor) or as one name created twice (a Job re-created,
 * i.e. a question Falco had answered asked again).
 */
import { AppsV1Api, BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { LABEL_COMPONENT, LABEL_MONITOR } from '../../../src/api/names.ts';
import { BUNDLE_HASH_ANNOTATION } from '../../../src/operator/builders/bundle.ts';
import type { Recorder } from './recorder.ts';
import type { Workload } from './workload.ts';

function countBy(objects: readonly KubernetesObject[], key: (o: KubernetesObject) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(key(o), (counts.get(key(o)) ?? 0) + 1);
  return counts;
}

/** Problems with the operator's children now; empty when each exists once and points right. */
export async function childProblems(kc: KubeConfig, w: Workload, statusBundles: ReadonlyMap<string, string | undefined>): Promise<string[]> {
  const ns = w.namespace;
  const core = kc.makeApiClient(CoreV1Api);
  const [cms, jobs, dss] = await Promise.all([
    core.listNamespacedConfigMap({ namespace: ns, labelSelector: LABEL_MONITOR }),
    kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: ns }),
    kc.makeApiClient(AppsV1Api).listNamespacedDaemonSet({ namespace: ns }),
  ]);
  const problems: string[] = [];
  const monitorOf = (o: KubernetesObject): string => o.metadata?.labels?.[LABEL_MONITOR] ?? '?';
  const component = (o: KubernetesObject): string => o.metadata?.labels?.[LABEL_COMPONENT] ?? '?';
  for (const [m, n] of countBy(cms.items.filter((c) => component(c) === 'rules'), monitorOf)) {
    if (n !== 1) problems.push(`monitor ${m} has ${n} bundle ConfigMaps left, expected 1`);
  }
  for (const [m, n] of countBy(cms.items.filter((c) => component(c) === 'config'), monitorOf)) {
    if (n !== 1) problems.push(`monitor ${m} has ${n} config ConfigMaps, expected 1`);
  }
  const jobKey = (j: KubernetesObject): string => `${monitorOf(j)}|${j.metadata?.annotations?.[BUNDLE_HASH_ANNOTATION] ?? ''}`;
  for (const [k, n] of countBy(jobs.items, jobKey)) if (n > 1) problems.push(`${n} verification Jobs for one bundle (${k})`);
  for (const [name, want] of w.monitors) {
    const ds = dss.items.filter((d) => monitorOf(d) === name);
    if (ds.length !== 1) problems.push(`monitor ${name} has ${ds.length} DaemonSets`);
    const hash = ds[0]?.spec?.template.metadata?.annotations?.[BUNDLE_HASH_ANNOTATION];
    if (hash !== statusBundles.get(name)) problems.push(`monitor ${name}: DaemonSet runs ${hash ?? 'nothing'}, status says ${statusBundles.get(name) ?? 'nothing'}`);
    const note = ds[0]?.spec?.template.metadata?.annotations?.['falconer.dev/test-edit'];
    if (note !== want.note) problems.push(`monitor ${name}: DaemonSet carries edit ${note ?? 'none'}, the last edit was ${want.note}`);
  }
  return problems;
}

/** Names the recorder saw created with two different uids: a child deleted and made again. */
export function recreated(recorder: Recorder, kind: string): string[] {
  const uids = new Map<string, Set<string>>();
  for (const e of recorder.of(kind)) {
    const name = e.obj.metadata?.name ?? '';
    const set = uids.get(name) ?? new Set<string>();
    set.add(e.obj.metadata?.uid ?? '');
    uids.set(name, set);
  }
  return [...uids].filter(([, s]) => s.size > 1).map(([n]) => n);
}
