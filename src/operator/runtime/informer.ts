import { ListWatch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '../../log/logger.ts';
import { TrimmingWatch, withoutManagedFields } from './trim.ts';
import type { Trim } from './trim.ts';

/**
 * A list+watch cache of one kind that does not go silent. client-node's ListWatch re-watches on a
 * clean end and relists on 410 Gone, but on any other error (API server down, connection reset)
 * it emits `error` and stops (client-node src/cache.ts). Here every error starts a fresh ListWatch
 * after a capped backoff; the fresh one relists, so objects that vanished meanwhile are reported
 * once more to `onChange` and their owners get reconciled.
 */
export interface InformerOptions<T extends KubernetesObject> {
  kind: string;
  /** Watch path, e.g. `/api/v1/namespaces/ns/pods` or `/apis/g/v/plural`. */
  path: string;
  /** The first list and every relist: plain JSON, the shape watch events have (src/kube/raw-list.ts). */
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  logger: Logger;
  maxRestartDelayMs?: number;
  /** What the cache keeps of each object (default: everything but managedFields). */
  trim?: Trim<T>;
}

export type ChangeHandler<T> = (obj: T) => void;

export class Informer<T extends KubernetesObject> {
  readonly kind: string;
  readonly #options: InformerOptions<T>;
  readonly #watch: TrimmingWatch<T>;
  readonly #trim: Trim<T>;
  readonly #handlers: Array<ChangeHandler<T>> = [];
  #current: ListWatch<T> | undefined;
  #stopped = true;
  #synced = false;
  #restartDelayMs = 0;
  #restartTimer: NodeJS.Timeout | undefined;

  constructor(kubeConfig: KubeConfig, options: InformerOptions<T>) {
    this.kind = options.kind;
    this.#options = options;
    this.#trim = options.trim ?? withoutManagedFields;
    this.#watch = new TrimmingWatch(kubeConfig, this.#trim);
  }

  onChange(handler: ChangeHandler<T>): void {
    this.#handlers.push(handler);
  }

  /** Starts listing and watching; resolves once the first list succeeded (or `stop` was called). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#connect(undefined);
    while (!this.#synced && !this.#stopped) await new Promise((r) => setTimeout(r, 100));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#restartTimer !== undefined) clearTimeout(this.#restartTimer);
    await this.#current?.stop();
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  list(namespace?: string): readonly T[] {
    return this.#current?.list(namespace) ?? [];
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#current?.get(name, namespace);
  }

  async #connect(previous: ListWatch<T> | undefined): Promise<void> {
    if (this.#stopped) return;
    const emit = (obj: T): void => {
      this.#restartDelayMs = 0;
      for (const handler of this.#handlers) handler(obj);
    };
    const listFn = async (): Promise<KubernetesListObject<T>> => {
      const list = await this.#options.list();
      list.items = list.items.map(this.#trim);
      if (previous !== undefined) emitVanished(previous, list, emit);
      // ListWatch fills its cache right after this promise resolves.
      setImmediate(() => (this.#synced = true));
      return list;
    };
    const lw = new ListWatch<T>(this.#options.path, this.#watch, listFn, false, this.#options.labelSelector);
    lw.on('add', emit);
    lw.on('update', emit);
    lw.on('delete', emit);
    lw.on('error', (err: unknown) => this.#scheduleRestart(lw, err));
    this.#current = lw;
    // Not awaited: it resolves only once the watch connection is open.
    void lw.start();
  }

  #scheduleRestart(failed: ListWatch<T>, err: unknown): void {
    if (this.#stopped || failed !== this.#current) return;
    void failed.stop();
    this.#restartDelayMs = Math.min(Math.max(this.#restartDelayMs * 2, 500), this.#options.maxRestartDelayMs ?? 30_000);
    this.#options.logger.info('Restarting watch after error', {
      kind: this.kind,
      delayMs: this.#restartDelayMs,
      error: err instanceof Error ? err.message : String(err),
    });
    this.#restartTimer = setTimeout(() => void this.#connect(failed), this.#restartDelayMs);
    this.#restartTimer.unref();
  }
}

/** Objects the previous cache held that the fresh list no longer has: deleted while we were away. */
function emitVanished<T extends KubernetesObject>(previous: ListWatch<T>, list: KubernetesListObject<T>, emit: ChangeHandler<T>): void {
  const present = new Set(list.items.map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`));
  for (const obj of previous.list()) {
    if (!present.has(`${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`)) emit(obj);
  }
}
