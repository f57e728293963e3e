import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * The objects an informer holds, by namespace then name. `put` and `replaceAll` say what changed
 * so the informer reports each add, update (a new resourceVersion) and delete once.
 */
export class ObjectStore<T extends KubernetesObject> {
  readonly #byNamespace = new Map<string, Map<string, T>>();

  get(name: string, namespace?: string): T | undefined {
    return this.#byNamespace.get(namespace ?? '')?.get(name);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined && namespace !== '') return [...(this.#byNamespace.get(namespace)?.values() ?? [])];
    return [...this.#byNamespace.values()].flatMap((objects) => [...objects.values()]);
  }

  /** Stores `obj`; true when it is new or has another resourceVersion than the one held. */
  put(obj: T): boolean {
    const namespace = obj.metadata?.namespace ?? '';
    const name = obj.metadata?.name ?? '';
    let objects = this.#byNamespace.get(namespace);
    if (objects === undefined) {
      objects = new Map();
      this.#byNamespace.set(namespace, objects);
    }
    const held = objects.get(name);
    const version = obj.metadata?.resourceVersion;
    if (held !== undefined && version !== undefined && held.metadata?.resourceVersion === version) return false;
    objects.set(name, obj);
    return true;
  }

  /** Removes `obj`'s key; the object that was held, if any. */
  remove(obj: T): T | undefined {
    const namespace = obj.metadata?.namespace ?? '';
    const objects = this.#byNamespace.get(namespace);
    const name = obj.metadata?.name ?? '';
    const held = objects?.get(name);
    objects?.delete(name);
    if (objects?.size === 0) this.#byNamespace.delete(namespace);
    return held;
  }

  /** Makes the store hold exactly `items` (a fresh list); returns what vanished and what changed. */
  replaceAll(items: readonly T[]): { vanished: T[]; changed: T[] } {
    const present = new Set(items.map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`));
    const vanished = this.list().filter((o) => !present.has(`${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`));
    for (const obj of vanished) this.remove(obj);
    const changed = items.filter((obj) => this.put(obj));
    return { vanished, changed };
  }
}
