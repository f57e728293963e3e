import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { KubeTransport } from '../../kube/transport.ts';
import { watch } from '../../kube/watch.ts';
import type { Logger } from '../../log/logger.ts';
import { ObjectStore } from './object-store.ts';
import { withoutManagedFields } from './trim.ts';
import type { Trim } from './trim.ts';

/**
 * A list+watch cache of one kind that does not go silent: it re-watches from the last
 * resourceVersion when a watch ends cleanly (the API server ends each after timeoutSeconds),
 * relists on 410 Gone, and after any other error (API server down, connection reset) starts over
 * after a capped backoff: it relists, reports every object once more to `onChange` and those that
 * vanished meanwhile too, so their owners get reconciled.
 *
 * Its own loop rather than client-node's ListWatch (same behaviour): ListWatch's module imports
 * client-node's ObjectSerializer, which references every generated model class, so the bundler
 * had to load all of client-node's ~800 modules into the operator (docs/benchmarks.md, Footprint).
 */
export interface InformerOptions<T extends KubernetesObject> {
  kind: string;
  /** Watch path, e.g. `/api/v1/namespaces/ns/pods` or `/apis/g/v/plural`. */
  path: string;
  /** The first list and every relist: plain JSON, the shape watch events have (src/kube/rest.ts). */
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  logger: Logger;
  maxRestartDelayMs?: number;
  /** What the cache keeps of each object (default: everything but managedFields). */
  trim?: Trim<T>;
}

/** Watches end after 60–120 s and resume: a silent watch heals within two minutes. */
const WATCH_TIMEOUT_MIN_S = 60;

/**
 * A watch that delivered nothing this long after the API server should have ended it is taken
 * for dead (a connection that went silent). Not shorter than the watch's own timeout: an idle
 * watch delivers nothing until the API server ends it (or sends a bookmark), and a client-side
 * timeout before that restarted every idle watch every 30 s, each on a new TLS connection
 * (docs/benchmarks.md, Footprint).
 */
const WATCH_SILENCE_MARGIN_S = 30;

export type ChangeHandler<T> = (obj: T) => void;

export class Informer<T extends KubernetesObject> {
  readonly kind: string;
  readonly #options: InformerOptions<T>;
  readonly #transport: KubeTransport;
  readonly #trim: Trim<T>;
  readonly #handlers: Array<ChangeHandler<T>> = [];
  readonly #store = new ObjectStore<T>();
  /** Bumped on every restart and stop: callbacks of an older connection are ignored. */
  #generation = 0;
  #request: AbortController | undefined;
  #resourceVersion = '';
  #watched = false;
  #reconnectDelayMs = 0;
  #stopped = true;
  #synced = false;
  #restartDelayMs = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  /** `start` calls waiting for the first list. */
  readonly #syncWaiters: Array<() => void> = [];

  constructor(transport: KubeTransport, options: InformerOptions<T>) {
    this.kind = options.kind;
    this.#options = options;
    this.#trim = options.trim ?? withoutManagedFields;
    this.#transport = transport;
  }

  onChange(handler: ChangeHandler<T>): void {
    this.#handlers.push(handler);
  }

  /** Starts listing and watching; resolves once the first list succeeded (or `stop` was called). */
  async start(): Promise<void> {
    this.#stopped = false;
    const synced = new Promise<void>((resolve) => this.#syncWaiters.push(resolve));
    void this.#connect(true);
    if (!this.#synced) await synced;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake();
    this.#generation += 1;
    if (this.#restartTimer !== undefined) clearTimeout(this.#restartTimer);
    this.#request?.abort();
    this.#request = undefined;
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  list(namespace?: string): readonly T[] {
    return this.#store.list(namespace);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#store.get(name, namespace);
  }

  #wake(): void {
    for (const resolve of this.#syncWaiters.splice(0)) resolve();
  }

  #emit(obj: T): void {
    for (const handler of this.#handlers) handler(obj);
  }

  /** A fresh start: relist (reporting every object, as a resync) and watch from there. */
  async #connect(reportAll: boolean): Promise<void> {
    if (this.#stopped) return;
    this.#generation += 1;
    this.#resourceVersion = '';
    this.#watched = false;
    this.#reconnectDelayMs = 0;
    await this.#listAndWatch(this.#generation, reportAll);
  }

  async #listAndWatch(generation: number, reportAll: boolean): Promise<void> {
    try {
      if (this.#resourceVersion === '') {
        const list = await this.#options.list();
        if (generation !== this.#generation) return;
        const items = list.items.map(this.#trim);
        const { vanished, changed } = this.#store.replaceAll(items);
        this.#resourceVersion = list.metadata?.resourceVersion ?? '';
        this.#synced = true;
        this.#wake();
        this.#restartDelayMs = 0;
        for (const obj of vanished) this.#emit(obj);
        for (const obj of reportAll ? items : changed) this.#emit(obj);
      }
      // Re-watching right after a watch that delivered nothing backs off (1 s doubling to 30 s).
      if (this.#watched) {
        if (this.#reconnectDelayMs > 0) await new Promise((r) => setTimeout(r, this.#reconnectDelayMs));
        if (generation !== this.#generation) return;
        this.#reconnectDelayMs = Math.min(this.#reconnectDelayMs > 0 ? this.#reconnectDelayMs * 2 : 1_000, 30_000);
      }
      this.#watched = true;
      // A watch can stay open and deliver nothing: after an etcd restart one sat silent for
      // minutes in the fault tests. The API server ends each watch after timeoutSeconds (spread,
      // as client-go does), and the next one starts from the last resourceVersion, catching up.
      const timeoutSeconds = WATCH_TIMEOUT_MIN_S + Math.floor(Math.random() * WATCH_TIMEOUT_MIN_S);
      const query = {
        resourceVersion: this.#resourceVersion,
        timeoutSeconds: String(timeoutSeconds),
        // BOOKMARK events move the resourceVersion on while nothing of ours changes, so that a
        // resumed watch is not refused as too old (410) after etcd compacts: no relist.
        allowWatchBookmarks: 'true',
        ...(this.#options.labelSelector !== undefined ? { labelSelector: this.#options.labelSelector } : {}),
      };
      // `done` (a refused or failed request) may come before `watch` resolves; by then the next
      // watch may have started, and this request must not be kept as the one `stop` aborts.
      let ended = false;
      const request = await watch(
        this.#transport,
        this.#options.path,
        query,
        (phase, obj) => this.#onEvent(generation, phase, obj as T & { code?: number }),
        (err) => {
          ended = true;
          void this.#onDone(generation, err);
        },
        { inactivityMs: (timeoutSeconds + WATCH_SILENCE_MARGIN_S) * 1000 },
      );
      if (generation !== this.#generation) request.abort();
      else if (!ended) this.#request = request;
    } catch (err) {
      this.#scheduleRestart(generation, err);
    }
  }

  #onEvent(generation: number, phase: string, obj: T & { code?: number }): void {
    if (generation !== this.#generation) return;
    if (phase === 'ERROR') {
      // 410 Gone: our resourceVersion is too old; the watch ends and the next one relists.
      if (obj.code === 410) this.#resourceVersion = '';
      return;
    }
    if (phase === 'ADDED' || phase === 'MODIFIED') {
      const kept = this.#trim(obj);
      if (this.#store.put(kept)) this.#emit(kept);
    } else if (phase === 'DELETED') {
      const kept = this.#trim(obj);
      this.#store.remove(kept);
      this.#emit(kept);
    }
    this.#reconnectDelayMs = 0;
    this.#resourceVersion = obj.metadata?.resourceVersion ?? '';
  }

  async #onDone(generation: number, err: unknown): Promise<void> {
    if (generation !== this.#generation || this.#stopped) return;
    this.#request = undefined;
    const status = err as { statusCode?: number; code?: number; name?: string } | null | undefined;
    if (status?.statusCode === 410 || status?.code === 410) this.#resourceVersion = '';
    else if (status?.name === 'TimeoutError') this.#reconnectDelayMs = 0;
    else if (err !== null && err !== undefined) {
      this.#scheduleRestart(generation, err);
      return;
    }
    await this.#listAndWatch(generation, false);
  }

  #scheduleRestart(generation: number, err: unknown): void {
    if (this.#stopped || generation !== this.#generation) return;
    this.#generation += 1;
    this.#request?.abort();
    this.#request = undefined;
    this.#restartDelayMs = Math.min(Math.max(this.#restartDelayMs * 2, 500), this.#options.maxRestartDelayMs ?? 30_000);
    this.#options.logger.info('Restarting watch after error', {
      kind: this.kind,
      delayMs: this.#restartDelayMs,
      error: err instanceof Error ? err.message : String(err),
    });
    this.#restartTimer = setTimeout(() => void this.#connect(true), this.#restartDelayMs);
    this.#restartTimer.unref();
  }
}
