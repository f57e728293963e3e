import { ApiException } from '@kubernetes/client-node';
import { KubeApiError, describeError } from '../core/errors.ts';

/** The HTTP status of a failed client-node call (ApiException.code, or a watch error's statusCode). */
export function statusOf(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (typeof err === 'object' && err !== null) {
    const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
    if (typeof code === 'number') return code;
    if (typeof statusCode === 'number') return statusCode;
  }
  return undefined;
}

export function isStatus(err: unknown, code: number): boolean {
  return statusOf(err) === code;
}

/** The `message` of the Status the API server returned, when there is one. */
export function apiMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === 'string' ? safeParse(err.body) : err.body;
    if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
      return body.message;
    }
  }
  return describeError(err);
}

/** Wraps a failed call in a KubeApiError that names the action and the object. */
export function kubeError(action: string, err: unknown): KubeApiError {
  const status = statusOf(err);
  return new KubeApiError(`${action}: ${apiMessage(err)}`, { cause: err, ...(status !== undefined ? { status } : {}) });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
