/**
 * The operator as the latency and cost benchmarks run it: in this process (so its API requests
 * can be counted and it can be told to resync), one namespace, no leader election, no periodic
 * resync during a measurement, and silent logs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { RequestLog } from '../src/kube/request-counter.ts';
import type { RecordedRequest } from '../src/kube/request-counter.ts';
import { silentLogger } from '../src/log/logger.ts';
import { startOperator } from '../src/operator/start-operator.ts';
import type { RunningOperator } from '../src/operator/start-operator.ts';
import type { MetricsReader } from '../src/operator/loaded/metrics-reader.ts';

/** The request log with the time each request left (benchmark clock): where a latency goes. */
export class TimedRequestLog extends RequestLog {
  readonly times: number[] = [];

  override record(request: RecordedRequest): void {
    this.times.push(performance.now());
    super.record(request);
  }

  /** `METHOD path @+ms` lines since `mark`, relative to `t0`. */
  timeline(mark: number, t0: number): string[] {
    return this.since(mark).map((r, i) => `${r.method} ${r.path} @+${((this.times[mark + i] ?? NaN) - t0).toFixed(1)}ms`);
  }
}

export interface BenchOperator {
  op: RunningOperator;
  requests: TimedRequestLog;
  /** Reconciles finished so far, both controllers, every result. */
  reconciles(): Promise<number>;
  /** Waits until nothing is queued for `quietMs` in a row; false when `timeoutMs` ran out first. */
  settle(timeoutMs: number, quietMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startBenchOperator(kc: KubeConfig, namespace: string, falcoMetrics: MetricsReader | false = false): Promise<BenchOperator> {
  const requests = new TimedRequestLog();
  const op = await startOperator({
    kubeConfig: kc,
    logger: silentLogger(),
    namespace,
    leaderElection: false,
    requestLog: requests,
    // An hour: the benchmark triggers resyncs itself, so none lands in the middle of a figure.
    resyncMs: 3_600_000,
    settings: { verificationDeadlineSeconds: 120, verificationTtlSeconds: 600, configMapPollMs: 3_600_000, falcoMetricsResyncMs: 3_600_000 },
    // kwok's pods serve no /metrics: only bench/falco-metrics.ts reads them, with its own reader.
    falcoMetrics,
  });
  const reconciles = async (): Promise<number> => (await op.metrics.reconcileTotal.get()).values.reduce((sum, v) => sum + v.value, 0);
  return {
    op,
    requests,
    reconciles,
    async settle(timeoutMs, quietMs = 500) {
      const deadline = Date.now() + timeoutMs;
      let quietSince: number | undefined;
      while (Date.now() < deadline) {
        if (op.idle()) {
          quietSince ??= Date.now();
          // Idle for a while, not just between two events: a watch event may still be on its way.
          if (Date.now() - quietSince >= quietMs) return true;
        } else {
          quietSince = undefined;
        }
        await sleep(25);
      }
      return false;
    },
    stop: () => op.stop(),
  };
}
