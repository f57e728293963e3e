import type { KubernetesObject, V1ConfigMap, V1DaemonSet, V1Job } from '@kubernetes/client-node';
import type { FalcoMonitor } from '../../api/monitor.ts';
import { imageReference } from '../../api/monitor-image.ts';
import { LABEL_COMPONENT, LABEL_MONITOR } from '../../api/names.ts';
import { applyOwned } from '../../kube/apply.ts';
import type { Owner } from '../../kube/apply.ts';
import { isStatus, kubeError } from '../../kube/api-errors.ts';
import { pathOf } from '../../kube/rest.ts';
import type { Bundle } from '../builders/bundle.ts';
import { BUNDLE_HASH_ANNOTATION, bundleConfigMapName, bundleFromConfigMap, desiredBundleConfigMap } from '../builders/bundle.ts';
import { CONFIG_HASH_ANNOTATION, CONFIG_KEY, configMapName, desiredConfigConfigMap } from '../builders/falco-config.ts';
import { daemonSetName, desiredDaemonSet, falcoPlacement } from '../builders/daemonset.ts';
import { desiredServiceAccount, serviceAccountName } from '../builders/service-account.ts';
import { desiredVerificationConfigMap, desiredVerificationJob, verificationName } from '../builders/verification-job.ts';
import type { CandidateMember } from '../verification/candidate.ts';
import type { ReconcilerDeps } from '../deps.ts';

/** The monitor's children, each ensured through the one apply helper. */
export interface MonitorScope {
  deps: ReconcilerDeps;
  monitor: FalcoMonitor;
  owner: Owner;
  namespace: string;
  name: string;
}

export async function ensureServiceAccount(s: MonitorScope): Promise<void> {
  const live = s.deps.cache.serviceAccounts.get(serviceAccountName(s.name), s.namespace);
  await applyOwned(s.deps.clients.rest, s.owner, desiredServiceAccount(s.name, s.namespace), live);
}

/** Applies the content-addressed `<monitor>-config-<hash>` of this falco.yaml. */
export async function ensureConfig(s: MonitorScope, falcoYaml: string): Promise<void> {
  const desired = desiredConfigConfigMap(s.name, s.namespace, falcoYaml);
  const live = s.deps.cache.configMaps.get(desired.metadata?.name ?? '', s.namespace);
  await applyOwned(s.deps.clients.rest, s.owner, desired, live);
}

/**
 * The falco.yaml the nodes run, by hash: the one the live pod template names, when its
 * ConfigMap still exists (a template from before configs were content-addressed names none
 * that can be kept, and is replaced once a candidate passes).
 */
export function runningConfigHash(s: MonitorScope): string | undefined {
  const hash = liveDaemonSet(s)?.spec?.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
  if (hash === undefined) return undefined;
  return s.deps.cache.configMaps.get(configMapName(s.name, hash), s.namespace) === undefined ? undefined : hash;
}

export async function ensureBundle(s: MonitorScope, bundle: Bundle): Promise<string> {
  const desired = desiredBundleConfigMap(s.name, s.namespace, bundle);
  const name = desired.metadata?.name ?? '';
  await applyOwned(s.deps.clients.rest, s.owner, desired, s.deps.cache.configMaps.get(name, s.namespace));
  return name;
}

export function liveDaemonSet(s: MonitorScope): V1DaemonSet | undefined {
  return s.deps.cache.daemonSets.get(daemonSetName(s.name), s.namespace);
}

/** The DaemonSet the spec renders with this bundle and falco.yaml. Pure. */
export function renderDaemonSet(s: MonitorScope, bundle: Bundle, configHash: string): V1DaemonSet {
  return desiredDaemonSet({
    monitor: s.name,
    namespace: s.namespace,
    spec: s.monitor.spec,
    bundleHash: bundle.hash,
    bundleConfigMap: bundleConfigMapName(s.name, bundle.hash),
    configConfigMap: configMapName(s.name, configHash),
    configHash,
    serviceAccount: serviceAccountName(s.name),
  });
}

export async function ensureDaemonSet(s: MonitorScope, desired: V1DaemonSet): Promise<V1DaemonSet> {
  // A fresh apply returns the new generation with the old status: honestly "not rolled out yet".
  return (await applyOwned(s.deps.clients.rest, s.owner, desired, liveDaemonSet(s))).object;
}


/**
 * The bundle the nodes run: the one the live DaemonSet's pod template names. Without a
 * DaemonSet (first start, suspended) the status' bundle hash says which bundle was last good.
 */
export function runningBundle(s: MonitorScope): Bundle | undefined {
  const fromTemplate = liveDaemonSet(s)?.spec?.template.metadata?.annotations?.[BUNDLE_HASH_ANNOTATION];
  const hash = fromTemplate ?? s.monitor.status?.bundleHash;
  return hash === undefined ? undefined : bundleOf(s, hash);
}

/** A bundle of this monitor by hash, from its ConfigMap in the cache. */
export function bundleOf(s: MonitorScope, hash: string): Bundle | undefined {
  const cm = s.deps.cache.configMaps.get(bundleConfigMapName(s.name, hash), s.namespace);
  return cm === undefined ? undefined : bundleFromConfigMap(cm);
}

/** Deletes a child; cached list items lack apiVersion/kind, so the caller names them. */
export async function deleteChild(s: MonitorScope, obj: KubernetesObject, apiVersion: string, kind: string): Promise<boolean> {
  const ref = { apiVersion, kind, metadata: { name: obj.metadata?.name ?? '', namespace: s.namespace } };
  try {
    await s.deps.clients.rest.delete(pathOf(ref), { propagationPolicy: 'Background' });
    return true;
  } catch (err) {
    if (isStatus(err, 404)) return false;
    throw kubeError(`Could not delete ${kind} ${s.namespace}/${obj.metadata?.name ?? ''}`, err);
  }
}

/** Bundles whose hash is not in `keep` (the target and the candidate) that no Falco pod mounts. */
export function unusedBundles(s: MonitorScope, keep: ReadonlySet<string>): V1ConfigMap[] {
  return unused(s, 'rules', BUNDLE_HASH_ANNOTATION, keep);
}

/** falco.yaml ConfigMaps whose hash is not in `keep` that no Falco pod mounts. */
export function unusedConfigs(s: MonitorScope, keep: ReadonlySet<string>): V1ConfigMap[] {
  return unused(s, 'config', CONFIG_HASH_ANNOTATION, keep);
}

function unused(s: MonitorScope, component: string, hashAnnotation: string, keep: ReadonlySet<string>): V1ConfigMap[] {
  const inUse = new Set<string>();
  for (const pod of s.deps.cache.pods.list(s.namespace)) {
    if (pod.metadata?.labels?.[LABEL_MONITOR] !== s.name) continue;
    for (const v of pod.spec?.volumes ?? []) if (v.configMap?.name !== undefined) inUse.add(v.configMap.name);
  }
  for (const v of liveDaemonSet(s)?.spec?.template.spec?.volumes ?? []) if (v.configMap?.name !== undefined) inUse.add(v.configMap.name);
  return s.deps.cache.configMaps
    .list(s.namespace)
    .filter((cm) => cm.metadata?.labels?.[LABEL_MONITOR] === s.name && cm.metadata.labels[LABEL_COMPONENT] === component)
    .filter((cm) => !keep.has(cm.metadata?.annotations?.[hashAnnotation] ?? '') && !inUse.has(cm.metadata?.name ?? ''));
}

export function verificationJob(s: MonitorScope, candidate: Bundle, falcoYaml: string): V1Job | undefined {
  return s.deps.cache.jobs.get(verificationName(s.name, candidate.hash, imageReference(s.monitor.spec.image), falcoYaml), s.namespace);
}

/**
 * Creates the verification Job first (the Job is what the edit waits for), then its ConfigMap
 * owned by the Job (TTL removes both) together with `alongside`.
 */
export async function ensureVerification(
  s: MonitorScope,
  candidate: Bundle,
  members: CandidateMember[],
  verify: { falcoYaml: string; configChanged: boolean },
  alongside: () => Promise<unknown>,
): Promise<string> {
  const { settings } = s.deps;
  const input = {
    monitor: s.name,
    namespace: s.namespace,
    image: imageReference(s.monitor.spec.image),
    imagePullPolicy: s.monitor.spec.image.pullPolicy,
    candidate,
    members,
    falcoConfig: verify.falcoYaml,
    configChanged: verify.configChanged,
    activeDeadlineSeconds: settings.verificationDeadlineSeconds,
    ttlSecondsAfterFinished: settings.verificationTtlSeconds,
    placement: falcoPlacement(s.monitor.spec),
  };
  // The cached Job is the live one: its status changing (pod started, finished) is no reason to
  // apply it again.
  const desired = desiredVerificationJob(input);
  const job = await applyOwned(s.deps.clients.rest, s.owner, desired, s.deps.cache.jobs.get(desired.metadata?.name ?? '', s.namespace));
  const jobOwner: Owner = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: job.object.metadata?.name ?? '', uid: job.object.metadata?.uid ?? '' },
  };
  const cm = desiredVerificationConfigMap(input);
  await Promise.all([applyOwned(s.deps.clients.rest, jobOwner, cm, s.deps.cache.configMaps.get(cm.metadata?.name ?? '', s.namespace)), alongside()]);
  return job.object.metadata?.name ?? '';
}

/** The falco.yaml text of a config hash, from its content-addressed ConfigMap in the cache. */
export function configText(s: MonitorScope, hash: string | undefined): string | undefined {
  if (hash === undefined) return undefined;
  return s.deps.cache.configMaps.get(configMapName(s.name, hash), s.namespace)?.data?.[CONFIG_KEY];
}
