/**
 * A per-key de-duplicating work queue in the shape of client-go's rate-limited queue: a key is
 * queued at most once, is never handed to two workers at the same time, and a key that changes
 * while it is being processed is queued again when the worker calls `done`.
 */
export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 200, maxDelayMs: 60_000 };

export class WorkQueue {
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  readonly #waiters: Array<(key: string | undefined) => void> = [];
  readonly #backoff: BackoffOptions;
  #shutDown = false;

  constructor(backoff: BackoffOptions = DEFAULT_BACKOFF) {
    this.#backoff = backoff;
  }

  add(key: string): void {
    if (this.#shutDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      this.#take(key);
      waiter(key);
      return;
    }
    this.#queue.push(key);
  }

  /** Queues the key after a delay; an earlier pending delay for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shutDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const pending = this.#timers.get(key);
    if (pending !== undefined && pending.at <= at) return;
    if (pending !== undefined) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.#timers.set(key, { at, timer });
  }

  /** Queues the key after an exponential backoff that grows with each consecutive failure. */
  addRateLimited(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const delay = Math.min(this.#backoff.baseDelayMs * 2 ** failures, this.#backoff.maxDelayMs);
    this.addAfter(key, delay);
    return delay;
  }

  /** Resets the backoff of a key after a successful reconcile. */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** Resolves with the next key, or undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.#shutDown) return Promise.resolve(undefined);
    const key = this.#queue.shift();
    if (key !== undefined) {
      this.#take(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key) && !this.#shutDown) {
      this.#dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys waiting to be processed (the queue-depth metric). */
  length(): number {
    return this.#queue.length;
  }

  /** True when nothing is queued or in flight (keys may wait on a timer). */
  quiet(): boolean {
    return this.#queue.length === 0 && this.#processing.size === 0;
  }

  /** True when nothing is queued, in flight or waiting on a timer. */
  idle(): boolean {
    return this.#queue.length === 0 && this.#processing.size === 0 && this.#timers.size === 0;
  }

  shutdown(): void {
    this.#shutDown = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#queue.length = 0;
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  #take(key: string): void {
    this.#dirty.delete(key);
    this.#processing.add(key);
  }
}
