import { STATUS_CODES } from 'node:http';
import { TimeoutError } from '../core/errors.ts';
import type { KubeTransport, Query } from './transport.ts';

/** A watch that delivers nothing for this long is taken for dead (client-node's figure too). */
const DEFAULT_INACTIVITY_MS = 30_000;

/** One event of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (object is a Status). */
export type WatchCallback = (type: string, object: unknown) => void;

/**
 * Why a watch ended: null when the API server closed it cleanly (timeoutSeconds passed), an error
 * with `statusCode` when it refused the watch (410 Gone: the resourceVersion is too old), a
 * TimeoutError when nothing arrived for the inactivity timeout, else the connection's error.
 */
export type WatchDone = (err: Error | null) => void;

export interface WatchOptions {
  inactivityMs?: number;
}

/**
 * Watches `path` (`?watch=true` and `query`): calls `onEvent` for each line of the stream and
 * `done` exactly once when it ends, however it ends, including after `abort()` on the returned
 * controller. Resolves once the request is sent; a refused watch is reported through `done`.
 */
export async function watch(transport: KubeTransport, path: string, query: Query, onEvent: WatchCallback, done: WatchDone, options: WatchOptions = {}): Promise<AbortController> {
  const controller = new AbortController();
  const inactivityMs = options.inactivityMs ?? DEFAULT_INACTIVITY_MS;
  let timedOut = false;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (err: Error | null): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    controller.abort();
    done(timedOut ? new TimeoutError(`The watch of ${path} delivered nothing for ${inactivityMs / 1000} s`) : err);
  };
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, inactivityMs);
    timer.unref();
  };
  touch();
  try {
    const response = await transport.open({ method: 'GET', path, query: { ...query, watch: 'true' }, signal: controller.signal, idleTimeoutMs: 0 });
    if (response.statusCode !== 200) {
      response.resume();
      const status = response.statusCode ?? 0;
      throw Object.assign(new Error(`${STATUS_CODES[status] ?? 'Error'} (HTTP ${status}) watching ${path}`), { statusCode: status });
    }
    touch();
    response.setEncoding('utf8');
    // A line may arrive in many chunks: keep the pieces and join them once its end arrives.
    let pieces: string[] = [];
    response.on('data', (chunk: string) => {
      touch();
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
        pieces.push(chunk.slice(start, nl));
        deliver(pieces.join(''), onEvent);
        pieces = [];
        start = nl + 1;
      }
      if (start < chunk.length) pieces.push(chunk.slice(start));
    });
    response.on('end', () => finish(null));
    response.on('error', (err) => finish(err));
    response.on('close', () => finish(null));
  } catch (err) {
    finish(err instanceof Error ? err : new Error(String(err)));
  }
  return controller;
}

function deliver(line: string, onEvent: WatchCallback): void {
  if (line.trim() === '') return;
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line) as { type?: unknown; object?: unknown };
  } catch {
    // The API server writes one JSON object per line; a torn line (connection cut mid-event)
    // ends the watch right after, and the informer resumes from the last whole event.
    return;
  }
  if (typeof event.type === 'string') onEvent(event.type, event.object);
}
