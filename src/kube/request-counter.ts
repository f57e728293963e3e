import type { KubeConfig, RequestContext } from '@kubernetes/client-node';
import { PooledKubeConfig } from './pooled-kube-config.ts';

/** One request the client sent: enough to tell reads from writes and which resource. */
export interface RecordedRequest {
  method: string;
  path: string;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isWrite(request: RecordedRequest): boolean {
  return WRITE_METHODS.has(request.method);
}

/**
 * A KubeConfig that reports every request made through it. Every client-node path (typed APIs,
 * KubernetesObjectApi, Watch, Log) calls `applySecurityAuthentication` once per request, so
 * this sees all traffic — which lets a test prove that a settled reconcile writes nothing.
 */
export class ObservedKubeConfig extends PooledKubeConfig {
  readonly #onRequest: (request: RecordedRequest) => void;

  constructor(source: KubeConfig, onRequest: (request: RecordedRequest) => void) {
    // Pooled like the unobserved operator's: counting requests must not change how they are sent.
    super(source);
    this.#onRequest = onRequest;
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    const url = new URL(context.getUrl());
    this.#onRequest({ method: String(context.getHttpMethod()), path: url.pathname });
    await super.applySecurityAuthentication(context);
  }
}

/** Requests seen so far (tests only: it grows without bound); serves the no-op-reconcile test. */
export class RequestLog {
  readonly #requests: RecordedRequest[] = [];

  record(request: RecordedRequest): void {
    this.#requests.push(request);
  }

  /** A position to measure from. */
  mark(): number {
    return this.#requests.length;
  }

  since(mark: number): RecordedRequest[] {
    return this.#requests.slice(mark);
  }

  writesSince(mark: number, exclude: (r: RecordedRequest) => boolean = () => false): RecordedRequest[] {
    return this.since(mark).filter((r) => isWrite(r) && !exclude(r));
  }
}
