import type { V1DaemonSet, V1DaemonSetSpec, V1PodSpec, V1PodTemplateSpec, V1Probe, V1Toleration, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { MonitorSpec } from '../../api/monitor.ts';
import { driverLoaderImage, imageReference } from '../../api/monitor-image.ts';
import { FALCO_CONTAINER, labelsFor } from '../../api/names.ts';
import { BUNDLE_HASH_ANNOTATION, RULES_DIR } from './bundle.ts';
import { CONFIG_DIR, CONFIG_HASH_ANNOTATION, CONFIG_KEY, FALCO_BINARY, HEALTH_PATH, HEALTH_PORT, HTTP_CA_DIR, METRICS_PATH } from './falco-config.ts';
import { driverPodParts } from './driver.ts';
import { canonicalJson } from '../../kube/apply.ts';
import { TEMPLATE_HASH_ANNOTATION } from '../policy/template.ts';
import { contentHash } from './hash.ts';

export interface DaemonSetInput {
  monitor: string;
  namespace: string;
  spec: MonitorSpec;
  bundleHash: string;
  bundleConfigMap: string;
  configConfigMap: string;
  configHash: string;
  serviceAccount: string;
}

/** The Falco container's webserver port: probes, /metrics (the operator's reads, Prometheus). */
export const FALCO_WEB_PORT_NAME = 'web';

export function daemonSetName(monitor: string): string {
  return `${monitor}-falco`;
}

/** The annotations Prometheus' usual `kubernetes-pods` scrape job discovers pods by. */
const SCRAPE_ANNOTATIONS = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(HEALTH_PORT),
  'prometheus.io/path': METRICS_PATH,
} as const;

/** Without user tolerations Falco also runs on control-plane nodes, as the Falco chart does. */
const DEFAULT_TOLERATIONS: V1Toleration[] = [
  { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
];

/**
 * The Falco DaemonSet of a monitor. Pure. Pod labels are Falconer's selector labels plus the
 * user's podLabels — never the CR's own labels. The bundle and config hashes sit in the pod
 * template, so a new verified bundle or a config change rolls out to every node.
 */
export function desiredDaemonSet(input: DaemonSetInput): V1DaemonSet {
  const selector = labelsFor(input.monitor, 'falco');
  const { spec } = input;
  const template: V1PodTemplateSpec = {
    metadata: {
      labels: { ...spec.podLabels, ...selector },
      annotations: {
        ...spec.podAnnotations,
        ...(spec.metrics.scrapeAnnotations ? SCRAPE_ANNOTATIONS : {}),
        [BUNDLE_HASH_ANNOTATION]: input.bundleHash,
        [CONFIG_HASH_ANNOTATION]: input.configHash,
      },
    },
    spec: podSpec(input),
  };
  // The template's own hash, which pods inherit: the operator tells by it which template a
  // crashing pod runs (a user's podAnnotations cannot set it).
  const annotations = { ...template.metadata?.annotations };
  delete annotations[TEMPLATE_HASH_ANNOTATION];
  const unstamped = { ...template, metadata: { ...template.metadata, annotations } };
  const hash = contentHash(canonicalJson(unstamped));
  const stamped = { ...unstamped, metadata: { ...unstamped.metadata, annotations: { ...annotations, [TEMPLATE_HASH_ANNOTATION]: hash } } };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: daemonSetName(input.monitor), namespace: input.namespace, labels: selector },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy:
        spec.updateStrategy.type === 'OnDelete'
          ? { type: 'OnDelete' }
          : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: spec.updateStrategy.maxUnavailable ?? 1 } },
      template: stamped,
    },
  };
}

/** The DaemonSet with another pod template (the last good one, read back from its history). Pure. */
export function withTemplate(ds: V1DaemonSet, template: V1PodTemplateSpec): V1DaemonSet {
  return { ...ds, spec: { ...(ds.spec as V1DaemonSetSpec), template } };
}

/** The hash of the pod template a DaemonSet carries (undefined for one rendered before templates were hashed). */
export function templateHash(ds: V1DaemonSet | undefined): string | undefined {
  return ds?.spec?.template.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION];
}

function podSpec(input: DaemonSetInput): V1PodSpec {
  const { spec } = input;
  const image = imageReference(spec.image);
  const driver = driverPodParts(spec.driver, spec.containerPlugin, driverLoaderImage(spec.image, spec.driver));
  const ca = caVolume(spec);
  const pod: V1PodSpec = {
    serviceAccountName: input.serviceAccount,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...falcoPlacement(spec),
    initContainers: driver.initContainers,
    containers: [
      {
        name: FALCO_CONTAINER,
        image,
        imagePullPolicy: spec.image.pullPolicy,
        command: [FALCO_BINARY],
        args: falcoArgs(),
        // The kubelet keeps the log's tail as the termination message when Falco exits with an
        // error, so status can quote why it stopped without reading logs.
        terminationMessagePolicy: 'FallbackToLogsOnError',
        env: [
          // The image sets HOST_ROOT=/host; a `none` pod mounts nothing of the host, so Falco
          // reads its own /proc instead (it stops when HOST_ROOT names a folder that is absent).
          { name: 'HOST_ROOT', value: spec.driver.kind === 'none' ? '' : '/host' },
          { name: 'FALCO_HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
        ports: [{ name: FALCO_WEB_PORT_NAME, containerPort: HEALTH_PORT, protocol: 'TCP' }],
        startupProbe: probe(5, 20),
        livenessProbe: probe(15, 3),
        readinessProbe: probe(15, 3),
        resources: spec.resources as V1PodSpec['containers'][number]['resources'] & object,
        securityContext: driver.securityContext,
        volumeMounts: [...ownMounts(), ...driver.mounts, ...(ca ? [ca.mount] : [])],
      },
    ],
    volumes: [...ownVolumes(input), ...driver.volumes, ...(ca ? [ca.volume] : [])],
  };
  if (spec.priorityClassName !== undefined) pod.priorityClassName = spec.priorityClassName;
  return pod;
}

/**
 * `-U`: alerts leave Falco's output buffer at once. Without it a lone alert sat in the buffer for
 * tens of seconds on a real node (even with buffered_outputs: false), and the pod's log is where
 * falco_query_alerts reads alerts.
 */
export function falcoArgs(): string[] {
  return ['-c', `${CONFIG_DIR}/${CONFIG_KEY}`, '--unbuffered'];
}

/**
 * Where the monitor's Falco runs: its node selector, affinity and tolerations. The verification
 * Job uses the same, so it runs the image on nodes that can pull and run it (architecture,
 * registry access, taints), as the DaemonSet will.
 */
export function falcoPlacement(spec: MonitorSpec): Pick<V1PodSpec, 'nodeSelector' | 'affinity' | 'tolerations'> {
  return {
    tolerations: (spec.tolerations as V1Toleration[] | undefined) ?? DEFAULT_TOLERATIONS,
    ...(spec.nodeSelector !== undefined ? { nodeSelector: spec.nodeSelector } : {}),
    ...(spec.affinity !== undefined ? { affinity: spec.affinity as V1PodSpec['affinity'] & object } : {}),
  };
}

function probe(periodSeconds: number, failureThreshold: number): V1Probe {
  return {
    httpGet: { path: HEALTH_PATH, port: HEALTH_PORT },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  };
}

function ownMounts(): V1VolumeMount[] {
  return [
    { name: 'falconer-config', mountPath: CONFIG_DIR, readOnly: true },
    { name: 'falconer-rules', mountPath: RULES_DIR, readOnly: true },
  ];
}

function ownVolumes(input: DaemonSetInput): V1Volume[] {
  return [
    { name: 'falconer-config', configMap: { name: input.configConfigMap } },
    { name: 'falconer-rules', configMap: { name: input.bundleConfigMap } },
  ];
}

/** The CA for http_output, from the user's ConfigMap or Secret (mounted by the kubelet). */
function caVolume(spec: MonitorSpec): { volume: V1Volume; mount: V1VolumeMount } | undefined {
  const ca = spec.outputs.http?.tls?.ca;
  if (ca === undefined) return undefined;
  const items = (key: string): Array<{ key: string; path: string }> => [{ key, path: 'ca.crt' }];
  const volume: V1Volume = ca.configMapKeyRef
    ? { name: 'http-ca', configMap: { name: ca.configMapKeyRef.name, items: items(ca.configMapKeyRef.key) } }
    : { name: 'http-ca', secret: { secretName: ca.secretKeyRef?.name ?? '', items: items(ca.secretKeyRef?.key ?? '') } };
  return { volume, mount: { name: 'http-ca', mountPath: HTTP_CA_DIR, readOnly: true } };
}
