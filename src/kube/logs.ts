import { ApiException } from '@kubernetes/client-node';
import { KubeApiError, TimeoutError, describeError } from '../core/errors.ts';
import type { KubeTransport } from './transport.ts';

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  /** Bounds that the API server (kubelet) applies before anything crosses the wire. */
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type PodLogs = (request: LogRequest) => Promise<string>;

/**
 * Reads a container's log once (no follow) through the API server. The kubelet enforces
 * tailLines/sinceSeconds/limitBytes; the request is aborted on the deadline or on cancellation.
 */
export function createPodLogs(transport: KubeTransport): PodLogs {
  return async (req) => {
    const where = `pod ${req.namespace}/${req.pod} (container ${req.container})`;
    const controller = new AbortController();
    let stopped: string | undefined;
    const abort = (why: string): void => {
      stopped ??= why;
      controller.abort();
    };
    const onAbort = (): void => abort('was cancelled');
    const timer = setTimeout(() => abort(`took longer than ${req.timeoutMs} ms`), req.timeoutMs);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.signal?.aborted === true) onAbort();
    const query = {
      container: req.container,
      follow: 'false',
      limitBytes: String(req.limitBytes),
      ...(req.tailLines === undefined ? {} : { tailLines: String(req.tailLines) }),
      ...(req.sinceSeconds === undefined ? {} : { sinceSeconds: String(req.sinceSeconds) }),
    };
    const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log`;
    try {
      return await transport.text({ method: 'GET', path, query, accept: '*/*', signal: controller.signal, idleTimeoutMs: 0 });
    } catch (e) {
      if (stopped !== undefined) throw new TimeoutError(`Reading the log of ${where} ${stopped}.`);
      const status = e instanceof ApiException ? e.code : undefined;
      // ApiException's message carries response headers; the status code is what a user needs.
      const why = status === undefined ? describeError(e) : `HTTP ${status}${status === 404 ? ' (pod or container not found)' : ''}`;
      throw new KubeApiError(`Reading the log of ${where} failed: ${why}`, {
        ...(status === undefined ? {} : { status }),
        cause: e,
      });
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  };
}
