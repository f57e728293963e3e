import type { V1Pod } from '@kubernetes/client-node';
import { isSimulated } from '../../kube/pods.ts';
import { LABEL_COMPONENT, LABEL_MONITOR } from '../../api/names.ts';
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Informer } from '../runtime/informer.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { falcoReport } from './falco-report.ts';
import type { MetricsReader } from './metrics-reader.ts';
import { readingsFingerprint } from './node-reports.ts';
import type { NodeReports, PodReading } from './node-reports.ts';
import { parsePrometheusText } from './prometheus-text.ts';

export interface PollerOptions {
  reader: MetricsReader;
  reports: NodeReports;
  pods: Informer<V1Pod>;
  metrics: OperatorMetrics;
  logger: Logger;
  /** Called with a monitor key when its readings changed in a way the status shows. */
  changed: (monitorKey: string) => void;
  /** Readings in flight at once, across the fleet. */
  concurrency?: number;
  timeoutMs?: number;
  /** Drops keep the monitor Degraded this long after the counter last grew. */
  dropWindowMs: number;
  clock: () => Date;
}

/**
 * Reads the /metrics of every ready Falco pod of a monitor and keeps the latest reading of each
 * in NodeReports. The session calls it when a monitor's Falco pods change (a rollout) and on a
 * slow resync; the monitor reconciler turns the readings into status.
 */
export class MetricsPoller {
  readonly #o: PollerOptions;
  #slots: number;
  readonly #waiting: Array<() => void> = [];
  readonly #chains = new Map<string, Promise<void>>();

  constructor(options: PollerOptions) {
    this.#o = options;
    this.#slots = options.concurrency ?? 8;
  }

  /**
   * Readings of one monitor run one after another: each takes the previous one as its base (drop
   * deltas), so two overlapping readings would count the same drops twice.
   */
  /** Resolves to the number of pods whose reading failed once or twice in a row (worth a quick retry). */
  poll(namespace: string, monitor: string): Promise<number> {
    const key = `${namespace}/${monitor}`;
    const next = (this.#chains.get(key) ?? Promise.resolve()).then(() => this.#pollNow(namespace, monitor, key));
    const settled = next.then(() => undefined, () => undefined);
    this.#chains.set(key, settled);
    void settled.then(() => {
      if (this.#chains.get(key) === settled) this.#chains.delete(key);
    });
    return next;
  }

  async #pollNow(namespace: string, monitor: string, key: string): Promise<number> {
    const before = this.#o.reports.get(key);
    // The real reader never asks the API server to proxy to a simulated (kwok) pod: its address is
    // made up, and no Falco listens there.
    const real = this.#o.reader.source === 'Falco';
    const pods = falcoPods(this.#o.pods.list(namespace), monitor).filter((p) => podReady(p) && !(real && isSimulated(p)));
    const next = new Map<string, PodReading>();
    await Promise.all(pods.map(async (pod) => {
      const name = pod.metadata?.name ?? '';
      next.set(name, await this.#read(namespace, monitor, pod, before?.get(name)));
    }));
    this.#o.reports.set(key, next);
    if (readingsFingerprint(before) !== readingsFingerprint(next)) this.#o.changed(key);
    return [...next.values()].filter((r) => r.failures > 0 && r.failures < 3).length;
  }

  async #read(namespace: string, monitor: string, pod: V1Pod, previous: PodReading | undefined): Promise<PodReading> {
    const name = pod.metadata?.name ?? '';
    const base = { pod: name, node: pod.spec?.nodeName ?? '', source: this.#o.reader.source };
    const labels = { namespace, monitor };
    await this.#acquire();
    try {
      const text = await this.#o.reader.read({ namespace, name }, AbortSignal.timeout(this.#o.timeoutMs ?? 5_000));
      const report = falcoReport(parsePrometheusText(text));
      if (report === undefined) throw new Error(`pod ${namespace}/${name} serves /metrics without Falco's sha256 info metrics`);
      // A restarted Falco starts its counters from zero: no delta across a restart.
      const prevDrops = previous?.report?.drops;
      const delta = report.drops !== undefined && prevDrops !== undefined && report.drops >= prevDrops ? report.drops - prevDrops : 0;
      if (delta > 0) this.#o.metrics.falcoEventDrops.inc(labels, delta);
      return { ...base, report, ...this.#drops(previous, delta), failures: 0, error: undefined };
    } catch (err) {
      this.#o.metrics.falcoMetricsErrors.inc(labels);
      const error = describeError(err);
      this.#o.logger.debug('Could not read Falco metrics', { namespace, pod: name, error });
      return { ...base, report: previous?.report, ...this.#drops(previous, 0), failures: (previous?.failures ?? 0) + 1, error };
    } finally {
      this.#release();
    }
  }

  /**
   * Drops seen within the window: a reading right after the one that saw them must not clear
   * them before the status (and whoever watches it) had a chance to show them.
   */
  #drops(previous: PodReading | undefined, delta: number): Pick<PodReading, 'recentDrops' | 'lastDropAt'> {
    const now = this.#o.clock().getTime();
    const within = previous?.lastDropAt !== undefined && now - previous.lastDropAt < this.#o.dropWindowMs;
    return {
      recentDrops: (within ? previous.recentDrops : 0) + delta,
      lastDropAt: delta > 0 ? now : within ? previous.lastDropAt : undefined,
    };
  }

  async #acquire(): Promise<void> {
    if (this.#slots > 0) {
      this.#slots--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#slots++;
  }
}

export function falcoPods(pods: readonly V1Pod[], monitor: string): V1Pod[] {
  return pods.filter((p) => p.metadata?.labels?.[LABEL_MONITOR] === monitor && p.metadata.labels[LABEL_COMPONENT] === 'falco' && p.metadata.deletionTimestamp === undefined);
}

/** Only ready pods are read: a starting Falco answers 404 until its driver is attached. */
export function podReady(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}
