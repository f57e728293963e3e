import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { TimeoutError } from '../core/errors.ts';

export interface ProbeOptions {
  ca?: string;
  token?: string;
  /** Component health endpoints serve a self-signed cert we never see: accept it on loopback only. */
  insecure?: boolean;
}

/** One GET; resolves to the status code and body, or undefined when nothing answers. */
export async function probe(url: string, options: ProbeOptions = {}): Promise<{ status: number; body: string } | undefined> {
  const u = new URL(url);
  const headers: Record<string, string> = options.token !== undefined ? { Authorization: `Bearer ${options.token}` } : {};
  return new Promise((resolve) => {
    const done = (v: { status: number; body: string } | undefined): void => resolve(v);
    const req =
      u.protocol === 'https:'
        ? httpsRequest(u, { headers, ca: options.ca, rejectUnauthorized: options.insecure !== true, timeout: 2000 })
        : httpRequest(u, { headers, timeout: 2000 });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
    req.end();
  });
}

/** Polls until `check` returns true; fails with `describe()` in the message when the deadline passes. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; describe?: () => string; abortIf?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const abort = options.abortIf?.();
    if (abort !== undefined) throw new TimeoutError(`${what}: ${abort}`);
    if (await check()) return;
    await sleep(options.intervalMs ?? 100);
  }
  throw new TimeoutError(`Timed out after ${options.timeoutMs} ms waiting for ${what}${options.describe ? `\n${options.describe()}` : ''}`);
}
