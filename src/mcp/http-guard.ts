import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '../core/errors.ts';

/** "127.0.0.1:8080", "[::1]:8080", "localhost:8080", "0.0.0.0:8080" or ":8080" (= loopback). */
export function parseListenAddress(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(addr.trim());
  const port = Number(m?.[3]);
  if (m === null || !Number.isInteger(port) || port > 65535) {
    throw new InvalidInputError(`--http expects host:port (e.g. 127.0.0.1:8080), not "${addr}".`, { field: 'http' });
  }
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '127.0.0.1' : host, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hostForHeader(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Host names a request may carry in its Host header (DNS-rebinding protection, as the MCP
 * transport spec asks): the loopback names for a loopback bind, else the bind host and any
 * names given. An empty list (wildcard bind, no names given) means no Host check.
 */
export function allowedHostsFor(host: string, extra: readonly string[]): string[] {
  if (isLoopback(host)) return ['localhost', '127.0.0.1', '[::1]', ...extra];
  const wildcard = host === '0.0.0.0' || host === '::';
  return [...(wildcard ? [] : [hostForHeader(host)]), ...extra];
}

export function hostAllowed(hostHeader: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  if (hostHeader === undefined) return false;
  try {
    return allowed.includes(new URL(`http://${hostHeader}`).hostname);
  } catch {
    return false;
  }
}

/** Constant-time bearer check: both sides hashed first so lengths leak nothing either. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (m?.[1] === undefined) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}
