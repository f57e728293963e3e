import { Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';

export type OnObject = (type: string, obj: KubernetesObject, atMs: number) => void;

/**
 * A watch that stays open: client-node closes a watch after 30 s without events, so this one
 * starts again from the last resourceVersion it saw (or from scratch, which replays the current
 * objects as ADDED). Handlers therefore judge object state, never the event type alone. `atMs`
 * is performance.now() when the event arrived here: the benchmark's clock.
 */
export class ObjectWatch {
  readonly #watch: Watch;
  readonly #path: string;
  readonly #params: Record<string, string>;
  readonly #onObject: OnObject;
  #controller: AbortController | undefined;
  #resourceVersion: string | undefined;
  #stopped = false;

  constructor(kc: KubeConfig, path: string, params: Record<string, string>, onObject: OnObject) {
    this.#watch = new Watch(kc);
    this.#path = path;
    this.#params = params;
    this.#onObject = onObject;
  }

  /** Resolves once the API server has accepted the watch. */
  async start(): Promise<void> {
    const params = { ...this.#params, ...(this.#resourceVersion === undefined ? {} : { resourceVersion: this.#resourceVersion }) };
    this.#controller = await this.#watch.watch(
      this.#path,
      params,
      (type: string, obj: KubernetesObject) => {
        const at = performance.now();
        if (type === 'ERROR') {
          // 410 Gone: the version we resumed from is compacted; the restart lists afresh.
          this.#resourceVersion = undefined;
          return;
        }
        this.#resourceVersion = obj.metadata?.resourceVersion ?? this.#resourceVersion;
        if (type !== 'BOOKMARK') this.#onObject(type, obj, at);
      },
      () => {
        if (!this.#stopped) setTimeout(() => void this.start().catch(() => this.#restartLater()), 10);
      },
    );
  }

  #restartLater(): void {
    this.#resourceVersion = undefined;
    if (!this.#stopped) setTimeout(() => void this.start().catch(() => this.#restartLater()), 500);
  }

  stop(): void {
    this.#stopped = true;
    this.#controller?.abort();
  }
}

/** Resolves with the arrival time of the first event whose object satisfies `test`, or rejects at the deadline. */
export function firstEvent(
  subscribe: (listener: (obj: KubernetesObject, atMs: number) => void) => () => void,
  test: (obj: KubernetesObject) => boolean,
  timeoutMs: number,
  what: string,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe((obj, at) => {
      if (!test(obj)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(at);
    });
  });
}

/** Many listeners on one watch: each benchmark run subscribes for what it waits for. */
export class WatchHub {
  readonly #listeners = new Set<(obj: KubernetesObject, atMs: number) => void>();
  readonly watch: ObjectWatch;

  constructor(kc: KubeConfig, path: string, params: Record<string, string> = {}) {
    this.watch = new ObjectWatch(kc, path, params, (_type, obj, at) => {
      for (const l of [...this.#listeners]) l(obj, at);
    });
  }

  subscribe = (listener: (obj: KubernetesObject, atMs: number) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  waitFor(test: (obj: KubernetesObject) => boolean, timeoutMs: number, what: string): Promise<number> {
    return firstEvent(this.subscribe, test, timeoutMs, what);
  }
}
