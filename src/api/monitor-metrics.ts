/**
 * Falco's own metrics (falco.yaml `metrics` and the webserver's Prometheus endpoint). The part
 * the operator depends on is always on: the sha256 of every loaded rules and config file (how
 * the status knows what each node loaded), the rules counters and the kernel event counters
 * (how it sees event drops). The extras cost series per node and can be turned off.
 */
import { z } from 'zod';

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
});
export type FalcoMetrics = z.infer<typeof falcoMetricsSchema>;
