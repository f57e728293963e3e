/**
 * The MCP HTTP door of the bad-input corpus: requests without the bearer token, with a wrong
 * one, with a foreign Host header (DNS rebinding), oversized or malformed bodies, unknown
 * sessions and paths. Each gets a 4xx with a JSON-RPC error body; the server stays up and a
 * proper client still works afterwards.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { silentLogger } from '../../src/log/logger.ts';
import { DEFAULT_LIMITS } from '../../src/mcp/deps.ts';
import { allowedHostsFor } from '../../src/mcp/http-guard.ts';
import { serveHttp } from '../../src/mcp/http.ts';
import type { HttpHandle } from '../../src/mcp/http.ts';
import { createMcpServer } from '../../src/mcp/server.ts';
import { recordedFleet } from '../support/recorded-falco.ts';
import { recordFigures } from '../support/report.ts';
import { NS, TWO_PODS, memoryObjects } from '../mcp/harness.ts';

const TOKEN = 'corpus-token-0123456789abcdef';
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'corpus', version: '1' } } });
const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
const AUTH = `Bearer ${TOKEN}`;

interface BadRequest {
  id: string;
  method?: string;
  path?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const BAD_REQUESTS: BadRequest[] = [
  { id: 'no token', headers: {}, body: INIT },
  { id: 'wrong token', headers: { authorization: 'Bearer wrong-token-0123456789' }, body: INIT },
  { id: 'token prefix only', headers: { authorization: `Bearer ${TOKEN.slice(0, 10)}` }, body: INIT },
  { id: 'token with a suffix', headers: { authorization: `${AUTH}x` }, body: INIT },
  { id: 'token as Basic credentials', headers: { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }, body: INIT },
  { id: 'token in the query string', path: `/mcp?access_token=${TOKEN}`, headers: {}, body: INIT },
  { id: 'empty bearer', headers: { authorization: 'Bearer ' }, body: INIT },
  { id: 'foreign Host header', headers: { authorization: AUTH, host: 'evil.example' }, body: INIT },
  { id: 'foreign Host with a loopback port', headers: { authorization: AUTH, host: 'evil.example:80' }, body: INIT },
  { id: 'Host that only starts like localhost', headers: { authorization: AUTH, host: 'localhost.evil.example' }, body: INIT },
  { id: 'Host with credentials', headers: { authorization: AUTH, host: 'localhost@evil.example' }, body: INIT },
  { id: 'body above 4 MiB', headers: { authorization: AUTH }, body: Buffer.alloc(5 * 1024 * 1024, 0x20) },
  { id: 'body not JSON', headers: { authorization: AUTH }, body: '{"jsonrpc": "2.0", "method": ' },
  { id: 'first request not initialize', headers: { authorization: AUTH }, body: LIST },
  { id: 'unknown session id', headers: { authorization: AUTH, 'mcp-session-id': 'not-a-session' }, body: LIST },
  { id: 'GET without a session', method: 'GET', headers: { authorization: AUTH } },
  { id: 'DELETE of an unknown session', method: 'DELETE', headers: { authorization: AUTH, 'mcp-session-id': '00000000-0000-0000-0000-000000000000' } },
  { id: 'unknown path', path: '/admin', headers: { authorization: AUTH }, body: INIT },
  { id: 'path traversal', path: '/mcp/../../etc/passwd', headers: { authorization: AUTH }, body: INIT },
];

function send(url: string, bad: BadRequest): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, method: bad.method ?? 'POST', path: bad.path ?? '/mcp', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...bad.headers }, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d.slice(0, 4096)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    // A server may answer and close before a huge body is sent: that is a refusal too.
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve({ status: 413, body: 'closed early' }) : reject(err)));
    req.end(bad.body);
  });
}

describe('bad HTTP requests at the MCP endpoint', () => {
  let handle: HttpHandle;
  let servers = 0;
  before(async () => {
    const deps = { fleet: recordedFleet(TWO_PODS), objects: memoryObjects(), defaults: { namespace: NS }, readOnly: true, limits: DEFAULT_LIMITS, logger: silentLogger(), version: 'corpus' };
    handle = await serveHttp({ host: '127.0.0.1', port: 0, token: TOKEN, allowedHosts: allowedHostsFor('127.0.0.1', []), newServer: () => (servers++, createMcpServer(deps)), logger: silentLogger() });
  });
  after(async () => handle.close());

  it(`refuses all ${BAD_REQUESTS.length} bad requests with a 4xx, opens no session for them and keeps serving`, async () => {
    const problems: string[] = [];
    let refused = 0;
    for (const bad of BAD_REQUESTS) {
      const { status, body } = await send(handle.url, bad);
      if (status < 400 || status >= 500) problems.push(`${bad.id}: HTTP ${status}`);
      else if (body !== 'closed early' && !/"error"|Not found|session/i.test(body)) problems.push(`${bad.id}: HTTP ${status} without an error body: ${body.slice(0, 120)}`);
      else refused += 1;
    }
    recordFigures('corpus/http', { badInputsTried: BAD_REQUESTS.length, badInputsRefused: refused });
    assert.deepEqual(problems, []);
    assert.equal(servers, 0, 'no MCP session was opened for a bad request');
    const client = new Client({ name: 'corpus-after', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(handle.url), { requestInit: { headers: { authorization: AUTH } } }));
    try {
      const r = await client.callTool({ name: 'falco_get_version', arguments: {} });
      assert.notEqual(r.isError, true);
    } finally {
      await client.close();
    }
  });
});
