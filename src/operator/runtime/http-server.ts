import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * The operator's two small HTTP endpoints, as a Deployment probes them: `/healthz` (the process
 * is alive) and `/readyz` (caches synced, or waiting as a standby replica) on the health port,
 * and Prometheus `/metrics` on the metrics port. Port 0 picks a free port (tests).
 */
export interface ProbeServers {
  healthPort: number;
  metricsPort: number;
  close(): Promise<void>;
}

export interface ProbeOptions {
  healthPort: number;
  metricsPort: number;
  bindAddress?: string;
  ready: () => boolean;
  registry: Registry;
}

export async function startProbeServers(options: ProbeOptions): Promise<ProbeServers> {
  const host = options.bindAddress ?? '0.0.0.0';
  const health = await listen(
    createServer((req, res) => handleHealth(req, res, options.ready)),
    options.healthPort,
    host,
  );
  const metrics = await listen(
    createServer((req, res) => void handleMetrics(req, res, options.registry)),
    options.metricsPort,
    host,
  );
  return {
    healthPort: (health.address() as AddressInfo).port,
    metricsPort: (metrics.address() as AddressInfo).port,
    close: async () => {
      await Promise.all([close(health), close(metrics)]);
    },
  };
}

function handleHealth(req: IncomingMessage, res: ServerResponse, ready: () => boolean): void {
  if (req.url === '/healthz') return reply(res, 200, 'ok');
  if (req.url === '/readyz') return ready() ? reply(res, 200, 'ok') : reply(res, 503, 'not ready');
  reply(res, 404, 'not found');
}

async function handleMetrics(req: IncomingMessage, res: ServerResponse, registry: Registry): Promise<void> {
  if (req.url !== '/metrics') return reply(res, 404, 'not found');
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType });
  res.end(body);
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
