/**
 * One request the client sent (src/kube/transport.ts reports each to `onRequest`): enough to
 * tell reads from writes and which resource.
 */
export interface RecordedRequest {
  method: string;
  path: string;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isWrite(request: RecordedRequest): boolean {
  return WRITE_METHODS.has(request.method);
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
