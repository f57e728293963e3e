/**
 * What one Falco says about itself on /metrics, reduced to what the status needs. Metric and
 * label names as real Falco 0.44.1 serves them (recorded in test/operator/fixtures/): the sha256
 * info metrics label each loaded file by its base name, not its path.
 */
import type { Sample } from './prometheus-text.ts';

export const FALCO_METRICS = {
  version: 'falcosecurity_falco_version_info',
  rulesFiles: 'falcosecurity_falco_sha256_rules_files_info',
  configFiles: 'falcosecurity_falco_sha256_config_files_info',
  /** Kernel event counters (metrics.kernel_event_counters_enabled); absent without a driver. */
  events: 'falcosecurity_scap_n_evts_total',
  drops: 'falcosecurity_scap_n_drops_total',
} as const;

export interface FalcoReport {
  version: string | undefined;
  /** Base file name → sha256 (hex), for every rules file Falco loaded. */
  rulesFiles: Map<string, string>;
  configFiles: Map<string, string>;
  events: number | undefined;
  drops: number | undefined;
}

/** The report in a scrape; undefined when the text is not Falco's (no sha256 info at all). */
export function falcoReport(samples: readonly Sample[]): FalcoReport | undefined {
  const report: FalcoReport = { version: undefined, rulesFiles: new Map(), configFiles: new Map(), events: undefined, drops: undefined };
  let seen = false;
  for (const s of samples) {
    switch (s.name) {
      case FALCO_METRICS.version:
        report.version = s.labels['version'];
        break;
      case FALCO_METRICS.rulesFiles:
      case FALCO_METRICS.configFiles: {
        seen = true;
        const file = s.labels['file_name'];
        const sha = s.labels['sha256'];
        if (file !== undefined && sha !== undefined) (s.name === FALCO_METRICS.rulesFiles ? report.rulesFiles : report.configFiles).set(file, sha);
        break;
      }
      case FALCO_METRICS.events:
        report.events = s.value;
        break;
      case FALCO_METRICS.drops:
        report.drops = s.value;
        break;
    }
  }
  return seen ? report : undefined;
}
