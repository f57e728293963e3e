import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log/logger.ts';
import { bearerMatches, hostAllowed } from './http-guard.ts';

export interface HttpServeOptions {
  host: string;
  port: number;
  /** Required unless the bind is loopback (checked by the caller). */
  token?: string;
  allowedHosts: string[];
  newServer: () => McpServer;
  logger: Logger;
}

export interface HttpHandle {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Streamable HTTP at /mcp: bearer token, Host-header check, and one McpServer + transport per
 * session (the SDK forbids sharing a server between transports: GHSA-345p-7cg4-v4c7).
 */
export async function serveHttp(o: HttpServeOptions): Promise<HttpHandle> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  const openSession = async (req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    const server = o.newServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/healthz') return void res.writeHead(200).end('ok');
    if (!hostAllowed(req.headers.host, o.allowedHosts)) return reply(res, 403, 'Host not allowed');
    if (path !== '/mcp') return reply(res, 404, 'Not found; the MCP endpoint is /mcp');
    if (o.token !== undefined && !bearerMatches(req.headers.authorization, o.token)) {
      return reply(res, 401, 'Missing or wrong bearer token', { 'www-authenticate': 'Bearer realm="falconer"' });
    }
    const id = req.headers['mcp-session-id'];
    const transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (req.method !== 'POST') {
      if (transport === undefined) return reply(res, typeof id === 'string' ? 404 : 400, 'Unknown or missing session');
      return transport.handleRequest(req, res);
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      return reply(res, 400, 'Body is not JSON or is larger than 4 MiB');
    }
    if (transport !== undefined) return transport.handleRequest(req, res, body);
    if (typeof id === 'string') return reply(res, 404, 'Session not found; initialize again');
    if (!isInitializeRequest(body)) return reply(res, 400, 'No session: the first request must be initialize');
    return openSession(req, res, body);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      o.logger.error('HTTP request failed', { component: 'mcp', error: String(err) });
      if (!res.headersSent) reply(res, 500, 'Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port, o.host, resolve);
  });
  const addr = http.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}/mcp`,
    close: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
