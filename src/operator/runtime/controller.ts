import { randomUUID } from 'node:crypto';
import { InvalidInputError, KubeApiError, describeError } from '../../core/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { OperatorMetrics } from './metrics.ts';
import { WorkQueue } from './work-queue.ts';
import type { BackoffOptions } from './work-queue.ts';

/** What a reconciler receives besides the key: a logger bound to the key and a reconcile id. */
export interface ReconcileContext {
  logger: Logger;
  reconcileId: string;
}

/** controller-runtime's Result: requeue after a delay, or nothing (wait for the next event). */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

/**
 * Converges one object, named by `namespace/name`. Level-triggered: it never learns which event
 * caused it. Throwing retries with backoff; an InvalidInputError is terminal (the user has to
 * change something, and the reconciler already reported it in a condition).
 */
export interface Reconciler {
  readonly name: string;
  reconcile(ctx: ReconcileContext, key: string): Promise<ReconcileResult>;
}

export interface ControllerOptions {
  reconciler: Reconciler;
  logger: Logger;
  metrics: OperatorMetrics;
  workers?: number;
  backoff?: BackoffOptions;
}

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly #options: ControllerOptions;
  #workers: Array<Promise<void>> = [];

  constructor(options: ControllerOptions) {
    this.name = options.reconciler.name;
    this.#options = options;
    this.queue = new WorkQueue(options.backoff);
  }

  enqueue(key: string): void {
    this.queue.add(key);
    this.#options.metrics.queueDepth.set({ controller: this.name }, this.queue.length());
  }

  start(): void {
    const count = this.#options.workers ?? 2;
    for (let i = 0; i < count; i += 1) this.#workers.push(this.#work());
  }

  /** Stops taking keys and waits for reconciles in flight to finish. */
  async stop(): Promise<void> {
    this.queue.shutdown();
    await Promise.all(this.#workers);
    this.#workers = [];
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      this.#options.metrics.queueDepth.set({ controller: this.name }, this.queue.length());
      try {
        await this.#reconcileOnce(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  async #reconcileOnce(key: string): Promise<void> {
    const { reconciler, metrics } = this.#options;
    const [namespace, name] = key.split('/');
    const reconcileId = randomUUID();
    const logger = this.#options.logger.child({ controller: this.name, namespace, name, reconcileId });
    const endTimer = metrics.reconcileDuration.startTimer({ controller: this.name });
    try {
      const result = await reconciler.reconcile({ logger, reconcileId }, key);
      this.queue.forget(key);
      if (result.requeueAfterMs !== undefined) {
        this.queue.addAfter(key, result.requeueAfterMs);
        metrics.reconcileTotal.inc({ controller: this.name, result: 'requeue_after' });
      } else {
        metrics.reconcileTotal.inc({ controller: this.name, result: 'success' });
      }
    } catch (err) {
      metrics.reconcileErrors.inc({ controller: this.name });
      metrics.reconcileTotal.inc({ controller: this.name, result: 'error' });
      if (err instanceof InvalidInputError) {
        this.queue.forget(key);
        logger.info('Reconcile stopped on invalid input', { error: describeError(err) });
        return;
      }
      const delayMs = this.queue.addRateLimited(key);
      // A conflict means the cache was a step behind our own last write: retry quietly.
      const level = err instanceof KubeApiError && err.status === 409 ? 'debug' : 'error';
      logger.log(level, 'Reconcile failed', { error: describeError(err), retryInMs: delayMs });
    } finally {
      endTimer();
    }
  }
}
