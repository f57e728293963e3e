import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The operator's Prometheus metrics, named after controller-runtime's so existing dashboards
 * read them. Each operator instance has its own registry: tests and `falconer dev` may run two
 * operators in one process.
 */
export interface OperatorMetrics {
  registry: Registry;
  reconcileTotal: Counter<'controller' | 'result'>;
  reconcileErrors: Counter<'controller'>;
  reconcileDuration: Histogram<'controller'>;
  queueDepth: Gauge<'controller'>;
  isLeader: Gauge;
  /** What the Falco pods report about themselves (src/operator/loaded). */
  falcoEventDrops: Counter<'namespace' | 'monitor'>;
  falcoMetricsErrors: Counter<'namespace' | 'monitor'>;
  loadedNodes: Gauge<'namespace' | 'monitor'>;
  notLoadedNodes: Gauge<'namespace' | 'monitor' | 'state'>;
}

/** How often the default metrics sample event-loop delay (prom-client's `eventLoopMonitoringPrecision`). */
const EVENT_LOOP_SAMPLE_MS = 100;

export function createOperatorMetrics(options: { defaultMetrics?: boolean } = {}): OperatorMetrics {
  const registry = new Registry();
  // prom-client samples event-loop delay on a 10 ms timer by default: 100 wake-ups a second of an
  // otherwise idle operator (strace counted ~205 epoll waits a second, ~32 at 100 ms). A block of
  // the loop still delays the next tick and is measured just as precisely at 100 ms.
  if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  return {
    registry,
    reconcileTotal: new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller and result.',
      labelNames: ['controller', 'result'],
      registers: [registry],
    }),
    reconcileErrors: new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller.',
      labelNames: ['controller'],
      registers: [registry],
    }),
    reconcileDuration: new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller.',
      labelNames: ['controller'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of the work queue per controller.',
      labelNames: ['controller'],
      registers: [registry],
    }),
    isLeader: new Gauge({
      name: 'leader_election_master_status',
      help: 'Whether this replica currently holds the leader Lease (1) or not (0).',
      registers: [registry],
    }),
    falcoEventDrops: new Counter({
      name: 'falconer_falco_event_drops_total',
      help: 'Kernel events the Falco pods of a monitor reported as dropped (falcosecurity_scap_n_drops_total), as the operator read them.',
      labelNames: ['namespace', 'monitor'],
      registers: [registry],
    }),
    falcoMetricsErrors: new Counter({
      name: 'falconer_falco_metrics_read_errors_total',
      help: "Readings of a Falco pod's /metrics that failed (no answer, an error status, or no Falco sha256 metrics).",
      labelNames: ['namespace', 'monitor'],
      registers: [registry],
    }),
    loadedNodes: new Gauge({
      name: 'falconer_monitor_loaded_nodes',
      help: "Nodes whose Falco reports the monitor's intended rules bundle and falco.yaml (by sha256).",
      labelNames: ['namespace', 'monitor'],
      registers: [registry],
    }),
    notLoadedNodes: new Gauge({
      name: 'falconer_monitor_not_loaded_nodes',
      help: 'Nodes that do not run the intended bundle and config, by state (Drifted, Outdated, NoMetrics).',
      labelNames: ['namespace', 'monitor', 'state'],
      registers: [registry],
    }),
  };
}
