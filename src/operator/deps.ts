import type { V1ConfigMap, V1DaemonSet, V1Job, V1Pod, V1ServiceAccount } from '@kubernetes/client-node';
import type { EventRecorder } from '../kube/events.ts';
import type { PodLogs } from '../kube/logs.ts';
import type { KubeRest } from '../kube/rest.ts';
import type { NodeReports } from './loaded/node-reports.ts';
import type { PodMonitorSupport } from './monitor/pod-monitor.ts';
import type { Informer } from './runtime/informer.ts';
import type { OperatorMetrics } from './runtime/metrics.ts';
import type { RulesEngine } from './verification/rules-engine.ts';
import type { StaticChecks } from './verification/static-checks.ts';

/** A custom object as the cache holds it: raw JSON, parsed with the zod schema when read. */
export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** The caches reconcilers read: Falconer's CRs and the children labelled managed-by=falconer. */
export interface OperatorCache {
  ruleSets: Informer<RawObject>;
  monitors: Informer<RawObject>;
  configMaps: Informer<V1ConfigMap>;
  daemonSets: Informer<V1DaemonSet>;
  jobs: Informer<V1Job>;
  pods: Informer<V1Pod>;
  serviceAccounts: Informer<V1ServiceAccount>;
}

export interface OperatorClients {
  /** Reads and writes as plain JSON (src/kube/rest.ts): apply, delete, status, ConfigMap reads. */
  rest: KubeRest;
  logs: PodLogs;
  events: EventRecorder;
}

export interface OperatorSettings {
  verificationDeadlineSeconds: number;
  verificationTtlSeconds: number;
  /** How often a rule set read from a user's ConfigMap is re-read (that ConfigMap is not watched). */
  configMapPollMs: number;
  /**
   * `job` (the default): a rule set reaches nodes only after a verification Job ran the monitor's
   * Falco on it. `static`: the in-process static check alone decides, and status says so — for
   * clusters where no Falco can run a Job, such as the embedded local control plane of
   * `falconer dev`, whose nodes are simulated.
   */
  verification: 'job' | 'static';
  /** How often every Falco pod's /metrics is read besides rollouts (the slow resync). */
  falcoMetricsResyncMs: number;
  /** How often a PodMonitor is applied again although it did not change (heals a deletion by hand). */
  podMonitorReassertMs: number;
  /** How long event drops keep a monitor Degraded after Falco's drop counter last grew. */
  falcoDropWindowMs: number;
}

export interface ReconcilerDeps {
  cache: OperatorCache;
  clients: OperatorClients;
  engine: RulesEngine;
  /** The engine's static check, memoised and shared by both reconcilers. */
  staticChecks: StaticChecks;
  settings: OperatorSettings;
  metrics: OperatorMetrics;
  /** PodMonitors for the Prometheus Operator; undefined when the operator does not manage them. */
  podMonitors?: PodMonitorSupport | undefined;
  /** The latest /metrics reading of each Falco pod; undefined when the operator does not read them. */
  nodeReports: NodeReports | undefined;
  clock: () => Date;
}
