import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { TimeoutError } from '../../src/core/errors.ts';
import { createPodLogs } from '../../src/kube/logs.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import type { RecordedRequest } from '../../src/kube/request-counter.ts';
import { standInKubeConfig } from '../support/stand-in-kubeconfig.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  port: number;
}

/** A stand-in API server over plain HTTP (skipTLSVerify, as client-node requires for http:). */
async function standIn(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ kc: KubeConfig; seen: Seen[]; close(): void }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, port: req.socket.remotePort ?? 0 });
      answer(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = standInKubeConfig(server, { name: 'u', token: 'secret-token', impersonateUser: 'alice' });
  return {
    kc,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

test('requests carry the kubeconfig credentials, reuse one connection, and are reported to the observer', async () => {
  const api = await standIn((_req, res, body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body === '' ? '{"kind":"Status"}' : body));
  const observed: RecordedRequest[] = [];
  try {
    const transport = new KubeTransport(api.kc, { onRequest: (r) => observed.push(r) });
    assert.equal(transport.server(), api.kc.getCurrentCluster()?.server.replace(/\/$/, ''));
    assert.equal(await transport.text({ method: 'GET', path: '/api/v1/namespaces/ns/configmaps', query: { labelSelector: 'a=b', limit: undefined } }), '{"kind":"Status"}');
    const sent = JSON.stringify({ kind: 'ConfigMap', data: { k: 'é' } });
    assert.equal(await transport.text({ method: 'PUT', path: '/api/v1/namespaces/ns/configmaps/c', body: { text: sent, type: 'application/json' } }), sent);
    assert.deepEqual(api.seen.map((r) => `${r.method} ${r.url}`), ['GET /api/v1/namespaces/ns/configmaps?labelSelector=a%3Db', 'PUT /api/v1/namespaces/ns/configmaps/c']);
    const [first, second] = api.seen;
    assert.equal(first?.headers.authorization, 'Bearer secret-token');
    assert.equal(first?.headers['impersonate-user'], 'alice');
    assert.equal(first?.headers.accept, 'application/json');
    assert.equal(second?.headers['content-type'], 'application/json');
    assert.equal(second?.headers['content-length'], String(Buffer.byteLength(sent)));
    // Keep-alive: the second request came over the first one's connection (no new TCP/TLS handshake).
    assert.equal(second?.port, first?.port);
    assert.deepEqual(observed, [
      { method: 'GET', path: '/api/v1/namespaces/ns/configmaps' },
      { method: 'PUT', path: '/api/v1/namespaces/ns/configmaps/c' },
    ]);
  } finally {
    api.close();
  }
});

test('a status outside 2xx is an ApiException with the code and the Status body', async () => {
  const status = { kind: 'Status', code: 409, reason: 'Conflict', message: 'the object has been modified' };
  const api = await standIn((_req, res) => res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify(status)));
  try {
    const err: unknown = await new KubeTransport(api.kc).text({ method: 'DELETE', path: '/api/v1/namespaces/ns/pods/p' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ApiException);
    assert.equal(err.code, 409);
    assert.deepEqual(JSON.parse(String(err.body)), status);
  } finally {
    api.close();
  }
});

test('a request the API server never answers fails with a TimeoutError naming it', async () => {
  const api = await standIn(() => undefined);
  try {
    const err: unknown = await new KubeTransport(api.kc).text({ method: 'GET', path: '/api/v1/nodes', idleTimeoutMs: 100 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof TimeoutError, String(err));
    assert.match(err.message, /GET \/api\/v1\/nodes: no answer from the API server for 0.1 s/);
  } finally {
    api.close();
  }
});

test('pod logs: the query carries the bounds, a missing pod is named, a stalled read times out', async () => {
  const api = await standIn((req, res) => {
    if (req.url?.includes('/pods/gone/')) res.writeHead(404, { 'content-type': 'application/json' }).end('{"kind":"Status","code":404}');
    else if (req.url?.includes('/pods/slow/')) res.writeHead(200).write('partial line');
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('line 1\nline 2\n');
  });
  try {
    const logs = createPodLogs(new KubeTransport(api.kc));
    const base = { namespace: 'ns', container: 'falco', limitBytes: 4096, timeoutMs: 5_000 };
    assert.equal(await logs({ ...base, pod: 'p', tailLines: 10, sinceSeconds: 60 }), 'line 1\nline 2\n');
    assert.equal(api.seen[0]?.url, '/api/v1/namespaces/ns/pods/p/log?container=falco&follow=false&limitBytes=4096&tailLines=10&sinceSeconds=60');
    await assert.rejects(logs({ ...base, pod: 'gone' }), /Reading the log of pod ns\/gone \(container falco\) failed: HTTP 404 \(pod or container not found\)/);
    await assert.rejects(logs({ ...base, pod: 'slow', timeoutMs: 100 }), (err: unknown) => err instanceof TimeoutError && /took longer than 100 ms/.test(err.message));
    const cancelled = new AbortController();
    const reading = logs({ ...base, pod: 'slow', signal: cancelled.signal });
    cancelled.abort();
    await assert.rejects(reading, /Reading the log of pod ns\/slow \(container falco\) was cancelled/);
  } finally {
    api.close();
  }
});
