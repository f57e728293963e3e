import { V1MicroTime } from '@kubernetes/client-node';
import type { V1Lease } from '@kubernetes/client-node';
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { isStatus } from '../../kube/api-errors.ts';
import { objectPath } from '../../kube/rest.ts';
import type { KubeRest } from '../../kube/rest.ts';

/**
 * Leader election on a coordination.k8s.io Lease, following client-go's leaderelection package:
 * expiry is judged by when *this* replica last saw the lease change (not by comparing clocks with
 * the holder), writes carry the lease's resourceVersion so two candidates cannot both win, and a
 * leader that stops releases the lease so the next replica takes over without waiting it out.
 * A leader renews in one request: it replaces the Lease it wrote last, at that resourceVersion,
 * and reads it again only when that fails (client-go's optimistic fast path). An idle operator
 * renews every retry period, so this halves its steady traffic to the API server.
 */
export interface LeaderElectionOptions {
  rest: KubeRest;
  namespace: string;
  name: string;
  identity: string;
  logger: Logger;
  leaseDurationMs?: number;
  retryPeriodMs?: number;
  /** A leader that could not renew for this long steps down. */
  renewDeadlineMs?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

export class LeaderElector {
  readonly #o: Required<LeaderElectionOptions>;
  readonly #api: KubeRest;
  #leading = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #observed = '';
  #observedAt = 0;
  #lastRenewAt = 0;
  /** The Lease as this replica last wrote it (the API server's answer), while it leads. */
  #written: V1Lease | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: LeaderElectionOptions) {
    this.#o = { leaseDurationMs: 15_000, retryPeriodMs: 2_000, renewDeadlineMs: 10_000, ...options };
    this.#api = options.rest;
  }

  isLeader(): boolean {
    return this.#leading;
  }

  start(): void {
    this.#stopped = false;
    this.#tick();
  }

  /** Stops campaigning; a leader releases the lease on the way out. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#loop;
    if (!this.#leading) return;
    this.#setLeading(false);
    await this.#release().catch((err: unknown) =>
      this.#o.logger.info('Could not release Lease', { error: describeError(err) }),
    );
  }

  #tick(): void {
    this.#loop = this.#attempt().finally(() => {
      if (this.#stopped) return;
      this.#timer = setTimeout(() => this.#tick(), this.#o.retryPeriodMs);
      this.#timer.unref();
    });
  }

  async #attempt(): Promise<void> {
    try {
      const held = await this.#tryAcquireOrRenew();
      if (held) this.#lastRenewAt = Date.now();
      // Not holding it means another replica does: step down at once.
      if (held !== this.#leading) this.#setLeading(held);
    } catch (err) {
      this.#o.logger.debug('Could not acquire or renew Lease', { error: describeError(err) });
      if (this.#leading && Date.now() - this.#lastRenewAt > this.#o.renewDeadlineMs) this.#setLeading(false);
    }
  }

  #setLeading(leading: boolean): void {
    if (this.#stopped && leading) return;
    this.#leading = leading;
    if (!leading) this.#written = undefined;
    this.#o.logger.info(leading ? 'Acquired leader Lease' : 'Lost leader Lease', {
      namespace: this.#o.namespace,
      name: this.#o.name,
      identity: this.#o.identity,
    });
    if (leading) this.#o.onStartedLeading();
    else this.#o.onStoppedLeading();
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { name, identity } = this.#o;
    const now = new V1MicroTime(Date.now());
    if (await this.#renewAsWritten(now)) return true;
    const lease = await this.#read();
    if (lease === undefined) {
      this.#written = await this.#api.send<V1Lease>('POST', this.#path(), this.#leaseBody(undefined, now, now, 0));
      return true;
    }
    const spec = lease.spec ?? {};
    const record = `${spec.holderIdentity ?? ''}|${String(spec.renewTime ?? '')}`;
    if (record !== this.#observed) {
      this.#observed = record;
      this.#observedAt = Date.now();
    }
    const holder = spec.holderIdentity ?? '';
    const durationMs = (spec.leaseDurationSeconds ?? 15) * 1000;
    const expired = Date.now() - this.#observedAt > durationMs;
    if (holder !== identity && holder !== '' && !expired) return false;
    const transitions = (spec.leaseTransitions ?? 0) + (holder === identity ? 0 : 1);
    const acquired = holder === identity && spec.acquireTime !== undefined ? new V1MicroTime(spec.acquireTime) : now;
    try {
      this.#written = await this.#api.send<V1Lease>('PUT', this.#path(name), this.#leaseBody(lease, acquired, now, transitions));
    } catch (err) {
      if (isStatus(err, 409)) return false;
      throw err;
    }
    return true;
  }

  /**
   * The leader's renewal while its lease is still valid by its own last renewal: a replace of the
   * Lease it wrote last. A replica that took the lease over meanwhile changed its resourceVersion,
   * so the write fails (409) and the caller reads the Lease and decides as any candidate does.
   */
  async #renewAsWritten(now: Date): Promise<boolean> {
    const written = this.#written;
    if (!this.#leading || written === undefined || Date.now() - this.#lastRenewAt >= this.#o.leaseDurationMs) return false;
    const spec = written.spec ?? {};
    const acquired = spec.acquireTime === undefined ? now : new V1MicroTime(spec.acquireTime);
    try {
      this.#written = await this.#api.send<V1Lease>('PUT', this.#path(this.#o.name), this.#leaseBody(written, acquired, now, spec.leaseTransitions ?? 0));
      return true;
    } catch (err) {
      this.#written = undefined;
      this.#o.logger.debug('Could not renew the Lease as last written; reading it', { error: describeError(err) });
      return false;
    }
  }

  async #read(): Promise<V1Lease | undefined> {
    try {
      return await this.#api.get<V1Lease>(this.#path(this.#o.name));
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  /** The Lease (or, without a name, the namespace's leases). */
  #path(name?: string): string {
    return objectPath('coordination.k8s.io/v1', 'leases', this.#o.namespace, name);
  }

  #leaseBody(live: V1Lease | undefined, acquireTime: Date, renewTime: Date, transitions: number): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.#o.name, namespace: this.#o.namespace, ...resourceVersionOf(live) },
      spec: {
        holderIdentity: this.#o.identity,
        leaseDurationSeconds: Math.ceil(this.#o.leaseDurationMs / 1000),
        acquireTime,
        renewTime,
        leaseTransitions: transitions,
      },
    };
  }

  async #release(): Promise<void> {
    const lease = await this.#read();
    if (lease?.spec?.holderIdentity !== this.#o.identity) return;
    const now = new V1MicroTime(Date.now());
    const body = this.#leaseBody(lease, now, now, lease.spec.leaseTransitions ?? 0);
    body.spec = { ...body.spec, holderIdentity: '', leaseDurationSeconds: 1 };
    await this.#api.send('PUT', this.#path(this.#o.name), body);
  }
}

/** The optimistic-lock precondition of a replace: the resourceVersion the write was based on. */
function resourceVersionOf(live: V1Lease | undefined): { resourceVersion?: string } {
  const rv = live?.metadata?.resourceVersion;
  return rv === undefined ? {} : { resourceVersion: rv };
}
