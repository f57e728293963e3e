import type { KubernetesObject, V1Job } from '@kubernetes/client-node';
import { LABEL_MONITOR } from '../src/api/names.ts';
import { WatchHub } from './watch.ts';
import type { KubeConfig } from '@kubernetes/client-node';

interface Seen {
  monitor: string;
  added: number;
  done?: number;
}

/**
 * When this process saw each verification Job appear and finish. In the simulator a kwok Stage
 * ends the Job's pod (the benchmark chose "Falco accepts"), so this is Kubernetes + kwok time:
 * Job controller, scheduler, kwok, Job status — no Falco runs.
 */
export class JobClock {
  readonly #seen = new Map<string, Seen>();
  readonly #hub: WatchHub;

  constructor(kc: KubeConfig, namespace: string) {
    this.#hub = new WatchHub(kc, `/apis/batch/v1/namespaces/${namespace}/jobs`);
    this.#hub.subscribe((obj, at) => this.#record(obj, at));
  }

  start(): Promise<void> {
    return this.#hub.watch.start();
  }

  stop(): void {
    this.#hub.watch.stop();
  }

  #record(obj: KubernetesObject, at: number): void {
    const job = obj as V1Job;
    const name = job.metadata?.name ?? '';
    const seen = this.#seen.get(name) ?? { monitor: job.metadata?.labels?.[LABEL_MONITOR] ?? '', added: at };
    const finished = (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    if (finished && seen.done === undefined) seen.done = at;
    this.#seen.set(name, seen);
  }

  /** Appeared → finished of the first Job of `monitor` that appeared after `since`; NaN if none finished. */
  durationSince(monitor: string, since: number): number {
    const first = this.firstSince(monitor, since);
    return first?.done === undefined ? NaN : first.done - first.added;
  }

  /** When the first Job of `monitor` after `since` appeared and finished (benchmark clock). */
  firstSince(monitor: string, since: number): { added: number; done?: number } | undefined {
    return [...this.#seen.values()].filter((s) => s.monitor === monitor && s.added >= since).sort((a, b) => a.added - b.added)[0];
  }
}
