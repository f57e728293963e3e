/**
 * Falco's own metrics (falco.yaml `metrics` and the webserver's Prometheus endpoint). The part
 * the operator depends on is always on: the sha256 of every loaded rules and config file (how
 * the status knows what each node loaded), the rules counters and the kernel event counters
 * (how it sees event drops). The extras cost series per node and can be turned off.
 */
import * as z from 'zod';
import { labelMap } from './common.ts';

/** Prometheus' duration syntax, as PodMonitor's interval takes it (e.g. 30s, 1m, 1h30m). */
const PROMETHEUS_DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

export const podMonitorSchema = z.object({
  enabled: z
    .boolean()
    .default(true)
    .describe("Create a PodMonitor (monitoring.coreos.com/v1) selecting this monitor's Falco pods, when the Prometheus Operator's CRD is installed; nothing happens without it."),
  labels: labelMap('Labels on the PodMonitor, for a Prometheus whose podMonitorSelector picks PodMonitors by label (kube-prometheus-stack: release: <its release name>).').optional(),
  interval: z
    .string()
    .min(2)
    .max(32)
    .regex(PROMETHEUS_DURATION, { message: 'must be a Prometheus duration such as 30s, 1m or 1h30m' })
    .optional()
    .describe("Scrape interval; Prometheus' own default when unset."),
});

export const falcoMetricsSchema = z.object({
  resourceUtilization: z
    .boolean()
    .default(true)
    .describe("Falco's CPU and memory figures (metrics.resource_utilization_enabled)."),
  stateCounters: z
    .boolean()
    .default(false)
    .describe("Falco's thread and file-descriptor table counters (metrics.state_counters_enabled); many series per node."),
  pluginMetrics: z.boolean().default(true).describe('Metrics the loaded plugins publish (metrics.plugins_metrics_enabled).'),
  scrapeAnnotations: z
    .boolean()
    .default(true)
    .describe('Put prometheus.io/scrape, port and path annotations on the Falco pods, for Prometheus setups that discover pods by annotation.'),
  podMonitor: podMonitorSchema.prefault({}).describe('A PodMonitor for the Prometheus Operator, when its CRD exists.'),
});
export type FalcoMetrics = z.infer<typeof falcoMetricsSchema>;
