import { Writable } from 'node:stream';
import { ApiException, Log } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, TimeoutError, describeError } from '../core/errors.ts';

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
 * tailLines/sinceSeconds/limitBytes; the stream is aborted on the deadline or on cancellation.
 */
export function createPodLogs(kc: KubeConfig): PodLogs {
  const log = new Log(kc);
  return async (req) => {
    const where = `pod ${req.namespace}/${req.pod} (container ${req.container})`;
    const chunks: Buffer[] = [];
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const sink = new Writable({
      write(chunk: Buffer, _enc, next): void {
        chunks.push(chunk);
        next();
      },
      final(next): void {
        finished();
        next();
      },
    });
    const options = {
      follow: false,
      limitBytes: req.limitBytes,
      ...(req.tailLines === undefined ? {} : { tailLines: req.tailLines }),
      ...(req.sinceSeconds === undefined ? {} : { sinceSeconds: req.sinceSeconds }),
    };
    let controller: AbortController;
    try {
      controller = await log.log(req.namespace, req.pod, req.container, sink, options);
    } catch (e) {
      const status = e instanceof ApiException ? e.code : undefined;
      // ApiException's message carries response headers; the status code is what a user needs.
      const why = status === undefined ? describeError(e) : `HTTP ${status}${status === 404 ? ' (pod or container not found)' : ''}`;
      throw new KubeApiError(`Reading the log of ${where} failed: ${why}`, {
        ...(status === undefined ? {} : { status }),
        cause: e,
      });
    }
    let timer: NodeJS.Timeout | undefined;
    let onAbort = (): void => undefined;
    const stop = new Promise<never>((_, reject) => {
      const abort = (why: string): void => {
        controller.abort();
        reject(new TimeoutError(`Reading the log of ${where} ${why}.`));
      };
      timer = setTimeout(() => abort(`took longer than ${req.timeoutMs} ms`), req.timeoutMs);
      onAbort = () => abort('was cancelled');
      req.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([done, stop]);
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
}
