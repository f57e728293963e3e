import { isStatus } from './api-errors.ts';
import type { KubeRest } from './rest.ts';

/**
 * Whether the API server serves `plural` in `groupVersion` (e.g. monitoring.coreos.com/v1,
 * podmonitors): API discovery, which every authenticated client may read, so no RBAC on CRDs.
 */
export async function servesResource(rest: KubeRest, groupVersion: string, plural: string): Promise<boolean> {
  try {
    const list = await rest.get<{ resources?: Array<{ name?: string }> }>(`/apis/${groupVersion}`);
    return (list.resources ?? []).some((r) => r.name === plural);
  } catch (err) {
    if (isStatus(err, 404)) return false;
    throw err;
  }
}

/**
 * A discovery answer remembered for `ttlMs`: a CRD installed (or removed) later is noticed within
 * that time, and reconciles in between cost no request.
 */
export class CachedDiscovery {
  private answer: { value: boolean; at: number } | undefined;
  private readonly ask: () => Promise<boolean>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(ask: () => Promise<boolean>, ttlMs: number, now: () => number = Date.now) {
    this.ask = ask;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  async available(): Promise<boolean> {
    const t = this.now();
    if (this.answer === undefined || t - this.answer.at >= this.ttlMs) this.answer = { value: await this.ask(), at: t };
    return this.answer.value;
  }
}
