import type { KubernetesObject } from '@kubernetes/client-node';
import type { MonitorSpec } from '../../api/monitor.ts';
import { labelsFor } from '../../api/names.ts';
import { METRICS_PATH } from './falco-config.ts';
import { FALCO_WEB_PORT_NAME } from './daemonset.ts';

export const POD_MONITOR_API_VERSION = 'monitoring.coreos.com/v1';
export const POD_MONITOR_KIND = 'PodMonitor';
export const POD_MONITOR_PLURAL = 'podmonitors';

export function podMonitorName(monitor: string): string {
  return `${monitor}-falco`;
}

/** A PodMonitor object as applied: the Prometheus Operator's schema, only the fields Falconer sets. */
export interface PodMonitor extends KubernetesObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    podMetricsEndpoints: Array<{ port: string; path: string; interval?: string }>;
  };
}

/**
 * The PodMonitor that has the Prometheus Operator scrape every Falco pod of a monitor on the
 * webserver port the probes and the operator's own reads use. Selects by Falconer's selector
 * labels, never by the user's podLabels. Pure.
 */
export function desiredPodMonitor(monitor: string, namespace: string, spec: MonitorSpec): PodMonitor {
  const selector = labelsFor(monitor, 'falco');
  const { podMonitor } = spec.metrics;
  return {
    apiVersion: POD_MONITOR_API_VERSION,
    kind: POD_MONITOR_KIND,
    metadata: { name: podMonitorName(monitor), namespace, labels: { ...podMonitor.labels, ...selector } },
    spec: {
      selector: { matchLabels: selector },
      podMetricsEndpoints: [{ port: FALCO_WEB_PORT_NAME, path: METRICS_PATH, ...(podMonitor.interval === undefined ? {} : { interval: podMonitor.interval }) }],
    },
  };
}
