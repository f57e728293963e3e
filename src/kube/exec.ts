import { Readable, Writable } from 'node:stream';
import { Exec } from '@kubernetes/client-node';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import { KubeApiError, TimeoutError, describeError } from '../core/errors.ts';

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: readonly string[];
  /** Streamed to the process's stdin, then stdin is closed (needs the v5 exec protocol). */
  stdin?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bytes kept per stream; the rest is dropped and the result says so. */
  maxOutputBytes: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
}

export type PodExec = (request: ExecRequest) => Promise<ExecResult>;

interface CappedSink {
  stream: Writable;
  text(): string;
  truncated(): boolean;
}

function cappedSink(max: number): CappedSink {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = false;
  const stream = new Writable({
    write(chunk: Buffer, _enc, done): void {
      const room = max - kept;
      if (chunk.length > room) dropped = true;
      if (room > 0) {
        const part = chunk.subarray(0, room);
        chunks.push(part);
        kept += part.length;
      }
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), truncated: () => dropped };
}

/**
 * Exit code from the exec status channel: Success → 0; a kubelet reports NonZeroExitCode with
 * an ExitCode cause. kwok's local exec instead fails with "… cmd wait: <cmd>: exit status N"
 * (Go's exec.ExitError text), so that form is read too; anything else is not an exit.
 */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const fromCause = cause?.message === undefined ? NaN : Number.parseInt(cause.message, 10);
  if (!Number.isNaN(fromCause)) return fromCause;
  const m = /: exit status (\d+)$/.exec(status.message ?? '');
  return m?.[1] === undefined ? undefined : Number.parseInt(m[1], 10);
}

/** The websocket library rejects with an ErrorEvent, not an Error: its message is a field. */
function socketError(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') return e.message;
  return describeError(e);
}

/**
 * Exec through the API server's websocket. The status channel carries the exit code; a
 * deadline covers the case where it never arrives (kubernetes-client/javascript#714), and the
 * caller's AbortSignal (MCP cancellation) closes the socket at once.
 */
export function createPodExec(kc: KubeConfig): PodExec {
  const exec = new Exec(kc);
  return async (req) => {
    const started = Date.now();
    const out = cappedSink(req.maxOutputBytes);
    const err = cappedSink(req.maxOutputBytes);
    const where = `pod ${req.namespace}/${req.pod} (container ${req.container})`;
    if (req.signal?.aborted === true) throw new TimeoutError(`Exec into ${where} was cancelled before it started.`);
    const stdin = req.stdin === undefined ? null : Readable.from([Buffer.from(req.stdin, 'utf8')]);
    return await new Promise<ExecResult>((resolve, reject) => {
      let socket: { close(): void } | undefined;
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        socket?.close();
        fn();
      };
      const fail = (e: Error): void => finish(() => reject(e));
      const timer = setTimeout(
        () => fail(new TimeoutError(`Exec into ${where} did not finish within ${req.timeoutMs} ms.`)),
        req.timeoutMs,
      );
      const onAbort = (): void => fail(new TimeoutError(`Exec into ${where} was cancelled.`));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const onStatus = (status: V1Status): void => {
        const exitCode = exitCodeOf(status);
        if (exitCode === undefined) {
          fail(new KubeApiError(`Exec into ${where} failed: ${status.message ?? status.reason ?? 'unknown status'}`));
          return;
        }
        finish(() =>
          resolve({
            stdout: out.text(),
            stderr: err.text(),
            exitCode,
            stdoutTruncated: out.truncated(),
            stderrTruncated: err.truncated(),
            durationMs: Date.now() - started,
          }),
        );
      };
      exec
        .exec(req.namespace, req.pod, req.container, [...req.command], out.stream, err.stream, stdin, false, onStatus)
        .then((ws) => {
          socket = ws;
          if (settled) ws.close();
          ws.addEventListener('close', () =>
            fail(new KubeApiError(`Exec into ${where} ended without an exit status.`)),
          );
        })
        .catch((e: unknown) => fail(new KubeApiError(`Exec into ${where} failed: ${socketError(e)}`, { cause: e })));
    });
  };
}
