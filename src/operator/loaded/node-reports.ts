/**
 * The latest reading of each Falco pod's /metrics, per monitor, kept in memory by the leader.
 * Readings are facts about processes, not desired state: a new leader reads them again (the
 * status keeps the last summary meanwhile).
 */
import type { FalcoReport } from './falco-report.ts';
import type { ReportSource } from './metrics-reader.ts';
import { compareNames } from '../../core/compare.ts';

export interface PodReading {
  pod: string;
  node: string;
  source: ReportSource;
  /** The report of the last successful reading, kept across a failed one. */
  report: FalcoReport | undefined;
  /** Kernel event drops counted within the drop window (the settings' falcoDropWindowMs). */
  recentDrops: number;
  /** When (ms since the epoch) the drop counter last grew, while within the window. */
  lastDropAt: number | undefined;
  /** Readings that failed in a row; 0 after a success. */
  failures: number;
  error: string | undefined;
}

export class NodeReports {
  readonly #byMonitor = new Map<string, Map<string, PodReading>>();

  get(monitorKey: string): ReadonlyMap<string, PodReading> | undefined {
    return this.#byMonitor.get(monitorKey);
  }

  monitors(): string[] {
    return [...this.#byMonitor.keys()];
  }

  /** Replaces a monitor's readings (pods that are gone are dropped with it). */
  set(monitorKey: string, readings: Map<string, PodReading>): void {
    if (readings.size === 0) this.#byMonitor.delete(monitorKey);
    else this.#byMonitor.set(monitorKey, readings);
  }

  delete(monitorKey: string): void {
    this.#byMonitor.delete(monitorKey);
  }
}

/** What changes a monitor's status: files, versions, failing or dropping; not counter values. */
export function readingsFingerprint(readings: ReadonlyMap<string, PodReading> | undefined): string {
  const rows = [...(readings?.values() ?? [])].map((r) => [
    r.pod,
    r.node,
    r.source,
    r.report?.version,
    [...(r.report?.rulesFiles ?? [])],
    [...(r.report?.configFiles ?? [])],
    r.recentDrops,
    Math.min(r.failures, 2),
    r.report === undefined ? r.error : '',
  ]);
  return JSON.stringify(rows.sort((a, b) => compareNames(String(a[0]), String(b[0]))));
}
