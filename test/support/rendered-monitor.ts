/**
 * Everything the operator renders for one monitor and its rule sets, through the product's own
 * pure builders, without a cluster: the DaemonSet, its config and bundle ConfigMaps, and the
 * verification Job with its ConfigMap. Tests run these with the real Falco (local-pod.ts).
 */
import type { V1ConfigMap, V1DaemonSet, V1Job, V1Pod } from '@kubernetes/client-node';
import { monitorSpecSchema } from '../../src/api/monitor.ts';
import type { MonitorSpec } from '../../src/api/monitor.ts';
import { DEFAULT_FALCO_TAG, imageReference } from '../../src/api/monitor-image.ts';
import { buildBundle, bundleConfigMapName, desiredBundleConfigMap } from '../../src/operator/builders/bundle.ts';
import type { Bundle } from '../../src/operator/builders/bundle.ts';
import { desiredDaemonSet, falcoPlacement } from '../../src/operator/builders/daemonset.ts';
import { configMapName, desiredConfigConfigMap, renderFalcoConfig } from '../../src/operator/builders/falco-config.ts';
import { contentHash } from '../../src/operator/builders/hash.ts';
import { desiredVerificationConfigMap, desiredVerificationJob } from '../../src/operator/builders/verification-job.ts';
import type { FalcoVersion } from './falco-rootfs.ts';
import { FALCO_VERSIONS } from './falco-rootfs.ts';

export interface RenderedMonitor {
  spec: MonitorSpec;
  falcoYaml: string;
  bundle: Bundle;
  daemonSet: V1DaemonSet;
  /** The ConfigMaps the DaemonSet's pods mount. */
  podConfigMaps: V1ConfigMap[];
  job: V1Job;
  jobConfigMap: V1ConfigMap;
  /** The Falco version the monitor's image tag names (the real one the tests run). */
  falcoVersion: FalcoVersion;
}

export interface RuleSetText {
  name: string;
  content: string;
}

const MONITOR = 'fleet';
const NAMESPACE = 'team-a';

export function renderMonitor(specInput: Record<string, unknown>, ruleSets: readonly RuleSetText[]): RenderedMonitor {
  const spec = monitorSpecSchema.parse(specInput);
  const falcoYaml = renderFalcoConfig(spec);
  const bundle = buildBundle(
    ruleSets.map((r) => ({ name: r.name, content: r.content, contentHash: contentHash(r.content) })),
    spec.includeDefaultRules,
  );
  const daemonSet = desiredDaemonSet({
    monitor: MONITOR,
    namespace: NAMESPACE,
    spec,
    bundleHash: bundle.hash,
    bundleConfigMap: bundleConfigMapName(MONITOR, bundle.hash),
    configConfigMap: configMapName(MONITOR, contentHash(falcoYaml)),
    configHash: contentHash(falcoYaml),
    serviceAccount: `${MONITOR}-falco`,
  });
  const verification = {
    monitor: MONITOR,
    namespace: NAMESPACE,
    image: imageReference(spec.image),
    imagePullPolicy: spec.image.pullPolicy,
    candidate: bundle,
    members: [],
    falcoConfig: falcoYaml,
    activeDeadlineSeconds: 120,
    ttlSecondsAfterFinished: 600,
    placement: falcoPlacement(spec),
  };
  const tag = spec.image.tag ?? DEFAULT_FALCO_TAG;
  const falcoVersion = FALCO_VERSIONS.find((v) => v === tag);
  if (falcoVersion === undefined) throw new Error(`No real Falco ${tag} here: use a tag of ${FALCO_VERSIONS.join(', ')}`);
  return {
    spec,
    falcoYaml,
    bundle,
    daemonSet,
    podConfigMaps: [desiredConfigConfigMap(MONITOR, NAMESPACE, falcoYaml), desiredBundleConfigMap(MONITOR, NAMESPACE, bundle)],
    job: desiredVerificationJob(verification),
    jobConfigMap: desiredVerificationConfigMap(verification),
    falcoVersion,
  };
}

/** A pod as the DaemonSet controller would create it from the template, on `node`. */
export function podFromDaemonSet(ds: V1DaemonSet, name: string, node: string): V1Pod {
  const template = ds.spec?.template;
  if (template?.spec === undefined) throw new Error('The DaemonSet has no pod template');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...template.metadata, name, namespace: ds.metadata?.namespace ?? NAMESPACE },
    spec: { ...template.spec, nodeName: node },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}
