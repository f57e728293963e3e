import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeTransport } from '../kube/transport.ts';
import { LABEL_COMPONENT, LABEL_MONITOR } from '../api/names.ts';
import type { Logger } from '../log/logger.ts';
import type { OperatorCache, ReconcilerDeps } from './deps.ts';
import { allInformers, createInformers } from './informers.ts';
import type { MetricsReader } from './loaded/metrics-reader.ts';
import { MetricsPoller } from './loaded/poller.ts';
import { createMonitorReconciler } from './monitor/reconciler.ts';
import { Controller } from './runtime/controller.ts';
import type { OperatorMetrics } from './runtime/metrics.ts';
import { createRuleSetReconciler } from './ruleset/reconciler.ts';
import { Selections } from './selections.ts';
import { keyOf } from './parse.ts';
import { membersOf } from './verification/candidate.ts';
import { OutcomeReader } from './verification/outcome.ts';

export interface SessionOptions {
  transport: KubeTransport;
  namespace: string | undefined;
  logger: Logger;
  metrics: OperatorMetrics;
  deps: Omit<ReconcilerDeps, 'cache'>;
  /** Reads Falco pods' /metrics; undefined reads nothing. */
  reader: MetricsReader | undefined;
  workers: number;
  resyncMs: number;
}

/**
 * What runs while this replica leads: the caches, both controllers, the event → key mapping
 * and the periodic resync. A replica that loses the lease stops its session; a new one starts
 * from fresh lists when it leads again.
 */
export class Session {
  readonly cache: OperatorCache;
  readonly ruleSets: Controller;
  readonly monitors: Controller;
  readonly #options: SessionOptions;
  #resync: NodeJS.Timeout | undefined;
  #metricsResync: NodeJS.Timeout | undefined;
  readonly #poller: MetricsPoller | undefined;
  /** Monitors whose Falco pods changed, read shortly after (one reading per burst of pod events). */
  readonly #pollSoon = new Map<string, NodeJS.Timeout>();
  #synced = false;
  #stopped = false;
  readonly #selections = new Selections();

  constructor(options: SessionOptions) {
    this.#options = options;
    this.cache = createInformers(options.transport, options.namespace, options.logger);
    const deps: ReconcilerDeps = { ...options.deps, cache: this.cache };
    const common = { logger: options.logger, metrics: options.metrics, workers: options.workers };
    const outcomes = new OutcomeReader(deps.clients.logs, deps.engine);
    this.ruleSets = new Controller({ ...common, reconciler: createRuleSetReconciler(deps, outcomes) });
    this.monitors = new Controller({ ...common, reconciler: createMonitorReconciler(deps, outcomes) });
    const reports = options.deps.nodeReports;
    this.#poller =
      options.reader === undefined || reports === undefined
        ? undefined
        : new MetricsPoller({
            reader: options.reader,
            reports,
            pods: this.cache.pods,
            metrics: options.metrics,
            logger: options.logger,
            changed: (key) => this.#loadChanged(key),
            dropWindowMs: options.deps.settings.falcoDropWindowMs,
            clock: options.deps.clock,
          });
    this.#wire();
  }

  async start(): Promise<void> {
    // One list at a time: each list's response text and whole objects are garbage before the next
    // arrives. Seven lists parsed at once made the operator's peak memory at 1000 rule sets.
    for (const informer of allInformers(this.cache)) {
      await informer.start();
      if (this.#stopped) return;
    }
    this.#synced = true;
    this.ruleSets.start();
    this.monitors.start();
    this.#enqueueAll();
    this.#resync = setInterval(() => this.#enqueueAll(), this.#options.resyncMs);
    this.#resync.unref();
    if (this.#poller !== undefined) {
      void this.readFalcoMetrics();
      this.#metricsResync = setInterval(() => void this.readFalcoMetrics(), this.#options.deps.settings.falcoMetricsResyncMs);
      this.#metricsResync.unref();
    }
  }

  /** Reads the /metrics of every monitor's Falco pods now; readings that changed re-queue their monitor. */
  async readFalcoMetrics(): Promise<void> {
    const poller = this.#poller;
    if (poller === undefined || !this.#synced) return;
    const reports = this.#options.deps.nodeReports;
    const monitors = this.cache.monitors.list().map(keyOf);
    for (const key of reports?.monitors() ?? []) if (!monitors.includes(key)) reports?.delete(key);
    await Promise.all(monitors.map((key) => this.#pollMonitor(key)));
  }

  async #pollMonitor(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    try {
      const failing = (await this.#poller?.poll(namespace, name)) ?? 0;
      // A Falco that just started answers 404 until its driver is attached: read it again soon
      // rather than at the next slow resync.
      if (failing > 0) this.#schedulePoll(key, RETRY_DELAY_MS);
    } catch (err) {
      this.#options.logger.error('Could not read Falco metrics of monitor', { namespace, name, error: String(err) });
    }
  }

  #loadChanged(key: string): void {
    if (this.#stopped) return;
    this.monitors.enqueue(key);
    // Rule sets report on how many nodes they are live.
    const ns = key.split('/')[0];
    for (const r of this.cache.ruleSets.list(ns)) this.ruleSets.enqueue(keyOf(r));
  }

  /** A Falco pod changed (started, became ready, went away): read its monitor's pods shortly. */
  #schedulePoll(key: string, delayMs = POLL_DELAY_MS): void {
    if (this.#poller === undefined || !this.#synced || this.#pollSoon.has(key)) return;
    const timer = setTimeout(() => {
      this.#pollSoon.delete(key);
      void this.#pollMonitor(key);
    }, delayMs);
    timer.unref();
    this.#pollSoon.set(key, timer);
  }

  synced(): boolean {
    return this.#synced;
  }

  /** True when no key is queued or in flight; some may be scheduled for later. */
  quiet(): boolean {
    return this.#synced && this.ruleSets.queue.quiet() && this.monitors.queue.quiet();
  }

  /** True when no key is queued, in flight or scheduled: the operator has nothing left to do. */
  idle(): boolean {
    return this.#synced && this.ruleSets.queue.idle() && this.monitors.queue.idle();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#synced = false;
    if (this.#resync !== undefined) clearInterval(this.#resync);
    if (this.#metricsResync !== undefined) clearInterval(this.#metricsResync);
    for (const t of this.#pollSoon.values()) clearTimeout(t);
    this.#pollSoon.clear();
    await Promise.all([this.ruleSets.stop(), this.monitors.stop()]);
    await Promise.all(allInformers(this.cache).map((i) => i.stop()));
  }

  /** Queues every CR now, as the periodic resync does. */
  resync(): void {
    this.#enqueueAll();
  }

  #enqueueAll(): void {
    for (const r of this.cache.ruleSets.list()) this.ruleSets.enqueue(keyOf(r));
    for (const m of this.cache.monitors.list()) this.monitors.enqueue(keyOf(m));
  }

  /**
   * Keys of the rule sets a verification Job (or its pod) checks, from the Job's candidate
   * annotation; undefined when the Job is not in the cache (then every rule set is asked).
   */
  #verifiedRuleSets(o: KubernetesObject): string[] | undefined {
    const ns = o.metadata?.namespace ?? '';
    const jobName = o.metadata?.labels?.[JOB_NAME_LABEL] ?? o.metadata?.name ?? '';
    const job = this.cache.jobs.get(jobName, ns);
    const members = job === undefined ? [] : membersOf(job);
    return members.length === 0 ? undefined : [...new Set(members.map((m) => `${ns}/${m.ruleSet}`))];
  }

  /** Events name objects; controllers get keys of the CRs to converge (never the event type). */
  #wire(): void {
    const { cache } = this;
    const inNamespace = (list: readonly KubernetesObject[], ns: string | undefined): string[] =>
      list.filter((o) => o.metadata?.namespace === ns).map(keyOf);
    cache.ruleSets.onChange((r) => {
      this.ruleSets.enqueue(keyOf(r));
      for (const k of this.#selections.ruleSetChanged(r, cache)) this.monitors.enqueue(k);
    });
    cache.monitors.onChange((m) => {
      this.monitors.enqueue(keyOf(m));
      for (const k of this.#selections.monitorChanged(m, cache)) this.ruleSets.enqueue(k);
    });
    const toMonitor = (o: KubernetesObject): void => {
      const monitor = o.metadata?.labels?.[LABEL_MONITOR];
      if (monitor !== undefined) this.monitors.enqueue(`${o.metadata?.namespace ?? ''}/${monitor}`);
      if (monitor !== undefined && o.kind === 'Pod' && o.metadata?.labels?.[LABEL_COMPONENT] === 'falco') this.#schedulePoll(`${o.metadata.namespace ?? ''}/${monitor}`);
      // A verification finishing is news for the rule sets it checked, and only for those: with
      // 100 monitors, every Job or pod event otherwise reconciled every rule set (bench/cost.ts).
      if (o.metadata?.labels?.[LABEL_COMPONENT] === 'verification') {
        const members = this.#verifiedRuleSets(o);
        for (const k of members ?? inNamespace(cache.ruleSets.list(), o.metadata.namespace)) this.ruleSets.enqueue(k);
      }
    };
    for (const informer of [cache.configMaps, cache.daemonSets, cache.jobs, cache.pods, cache.serviceAccounts]) {
      (informer as { onChange(h: (o: KubernetesObject) => void): void }).onChange(toMonitor);
    }
  }
}

const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** Long enough to read a whole rollout step once, short enough that status follows a rollout. */
const POLL_DELAY_MS = 1_000;
const RETRY_DELAY_MS = 10_000;
