import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { describeError } from '../core/errors.ts';
import { createEventRecorder } from '../kube/events.ts';
import { createPodLogs } from '../kube/logs.ts';
import type { RequestLog } from '../kube/request-counter.ts';
import { kubeRest } from '../kube/rest.ts';
import type { KubeRest } from '../kube/rest.ts';
import { KubeTransport } from '../kube/transport.ts';
import type { Logger } from '../log/logger.ts';
import type { OperatorSettings } from './deps.ts';
import { startProbeServers } from './runtime/http-server.ts';
import { LeaderElector } from './runtime/leader-election.ts';
import { createOperatorMetrics } from './runtime/metrics.ts';
import type { OperatorMetrics } from './runtime/metrics.ts';
import { podProxyReader } from './loaded/metrics-reader.ts';
import type { MetricsReader } from './loaded/metrics-reader.ts';
import { NodeReports } from './loaded/node-reports.ts';
import { POD_MONITOR_REASSERT_MS, podMonitorSupport } from './monitor/pod-monitor.ts';
import { Session } from './session.ts';
import { rulesEngine } from './verification/rules-engine.ts';
import type { RulesEngine } from './verification/rules-engine.ts';
import { StaticChecks } from './verification/static-checks.ts';

export interface LeaderElectionSettings {
  namespace: string;
  name?: string;
  leaseDurationMs?: number;
  retryPeriodMs?: number;
  renewDeadlineMs?: number;
}

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  logger: Logger;
  /** Watch one namespace only; all namespaces when absent. */
  namespace?: string;
  /** Campaign for a Lease before reconciling; false runs as the only replica. */
  leaderElection: LeaderElectionSettings | false;
  /** Ports of /metrics and /healthz+/readyz; 0 picks a free port, undefined serves nothing. */
  metricsPort?: number;
  healthPort?: number;
  bindAddress?: string;
  identity?: string;
  workers?: number;
  resyncMs?: number;
  settings?: Partial<OperatorSettings>;
  engine?: RulesEngine;
  /** Records every API request (tests count writes with it). */
  requestLog?: RequestLog;
  /**
   * How Falco pods' /metrics are read: through the API server's pod proxy by default; false
   * reads nothing (the status then has no per-node report), e.g. on simulated nodes in
   * `falconer dev`. Tests pass a responder for their simulated nodes.
   */
  falcoMetrics?: MetricsReader | false;
  /**
   * Manage a PodMonitor per FalcoMonitor when the Prometheus Operator's CRD is installed (the
   * default). Tests that count an operator's writes on a shared cluster turn it off.
   */
  podMonitors?: boolean;
  clock?: () => Date;
}

export interface RunningOperator {
  readonly identity: string;
  readonly metrics: OperatorMetrics;
  readonly healthPort: number | undefined;
  readonly metricsPort: number | undefined;
  isLeader(): boolean;
  ready(): boolean;
  /** Leading, caches synced, and no reconcile queued, running or scheduled. */
  idle(): boolean;
  /** Leading, caches synced, and no reconcile queued or running (some may be scheduled). */
  quiet(): boolean;
  /** Reconciles every FalcoRuleSet and FalcoMonitor now (the periodic resync, on demand). */
  resync(): void;
  /** Reads every Falco pod's /metrics now (the slow metrics resync, on demand). */
  readFalcoMetrics(): Promise<void>;
  /** Graceful: releases the lease, lets reconciles in flight finish, closes the servers. */
  stop(): Promise<void>;
}

export const DEFAULT_SETTINGS: OperatorSettings = {
  verificationDeadlineSeconds: 120,
  verificationTtlSeconds: 600,
  configMapPollMs: 60_000,
  verification: 'job',
  falcoMetricsResyncMs: 60_000,
  falcoDropWindowMs: 600_000,
  podMonitorReassertMs: POD_MONITOR_REASSERT_MS,
};

/** Runs the operator inside the calling process (`falconer operator`, `falconer dev`, tests). */
export async function startOperator(options: OperatorOptions): Promise<RunningOperator> {
  const identity = options.identity ?? `${hostname()}-${randomUUID().slice(0, 8)}`;
  const logger = options.logger.child({ component: 'operator' });
  const log = options.requestLog;
  const transport = new KubeTransport(options.kubeConfig, log === undefined ? {} : { onRequest: (r) => log.record(r) });
  const metrics = createOperatorMetrics({ defaultMetrics: options.metricsPort !== undefined });
  const engine = options.engine ?? rulesEngine;
  const reader = options.falcoMetrics === false ? undefined : (options.falcoMetrics ?? podProxyReader(transport));
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const rest = kubeRest(transport);
  const deps = {
    clients: {
      rest,
      logs: createPodLogs(transport),
      events: createEventRecorder(rest, identity, logger),
    },
    engine,
    staticChecks: new StaticChecks(engine),
    settings,
    metrics,
    nodeReports: reader === undefined ? undefined : new NodeReports(),
    podMonitors: options.podMonitors === false ? undefined : podMonitorSupport(rest, settings.podMonitorReassertMs),
    clock: options.clock ?? ((): Date => new Date()),
  };
  let session: Session | undefined;
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>, action: string): void => {
    const p = work.catch((err: unknown) => {
      logger.error(`Could not ${action} operator session`, { error: describeError(err) });
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const lead = (leading: boolean): void => {
    metrics.isLeader.set(leading ? 1 : 0);
    if (leading && session === undefined) {
      session = new Session({ transport, namespace: options.namespace, logger, metrics, deps, reader, workers: options.workers ?? 2, resyncMs: options.resyncMs ?? 300_000 });
      track(session.start(), 'start');
    } else if (!leading && session !== undefined) {
      // Stopping a session that is still syncing is fine: its informers give up waiting.
      const old = session;
      session = undefined;
      track(old.stop(), 'stop');
    }
  };
  const elector = options.leaderElection === false ? undefined : createElector(rest, options.leaderElection, identity, logger, lead);
  const ready = (): boolean => (elector !== undefined && !elector.isLeader()) || (session?.synced() ?? false);
  const probes =
    options.healthPort !== undefined && options.metricsPort !== undefined
      ? await startProbeServers({ healthPort: options.healthPort, metricsPort: options.metricsPort, ready, registry: metrics.registry, ...(options.bindAddress ? { bindAddress: options.bindAddress } : {}) })
      : undefined;
  if (elector === undefined) lead(true);
  else elector.start();
  logger.info('Started operator', { identity, namespace: options.namespace ?? '(all)' });
  return {
    identity,
    metrics,
    healthPort: probes?.healthPort,
    metricsPort: probes?.metricsPort,
    isLeader: () => elector?.isLeader() ?? true,
    ready,
    idle: () => session?.idle() ?? false,
    quiet: () => session?.quiet() ?? false,
    resync: () => session?.resync(),
    readFalcoMetrics: async () => session?.readFalcoMetrics(),
    async stop() {
      if (elector !== undefined) await elector.stop();
      lead(false);
      await Promise.all(pending);
      await probes?.close();
      logger.info('Stopped operator', { identity });
    },
  };
}

function createElector(rest: KubeRest, s: LeaderElectionSettings, identity: string, logger: Logger, lead: (leading: boolean) => void): LeaderElector {
  return new LeaderElector({
    rest,
    namespace: s.namespace,
    name: s.name ?? 'falconer-operator',
    identity,
    logger,
    ...(s.leaseDurationMs !== undefined ? { leaseDurationMs: s.leaseDurationMs } : {}),
    ...(s.retryPeriodMs !== undefined ? { retryPeriodMs: s.retryPeriodMs } : {}),
    ...(s.renewDeadlineMs !== undefined ? { renewDeadlineMs: s.renewDeadlineMs } : {}),
    onStartedLeading: () => lead(true),
    onStoppedLeading: () => lead(false),
  });
}
