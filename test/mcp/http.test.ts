import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { silentLogger } from '../../src/log/logger.ts';
import { DEFAULT_LIMITS } from '../../src/mcp/deps.ts';
import { allowedHostsFor, parseListenAddress } from '../../src/mcp/http-guard.ts';
import { serveHttp } from '../../src/mcp/http.ts';
import type { HttpHandle } from '../../src/mcp/http.ts';
import { READ_ONLY_TOOLS, createMcpServer } from '../../src/mcp/server.ts';
import { recordedFleet } from '../support/recorded-falco.ts';
import { NS, TWO_PODS, memoryObjects } from './harness.ts';

const TOKEN = 'test-token-0123456789abcdef';

function rawPost(url: string, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Streamable HTTP transport', () => {
  let handle: HttpHandle;
  let servers = 0;
  before(async () => {
    const deps = { fleet: recordedFleet(TWO_PODS), objects: memoryObjects(), defaults: { namespace: NS }, readOnly: true, limits: DEFAULT_LIMITS, logger: silentLogger(), version: 'test' };
    handle = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      allowedHosts: allowedHostsFor('127.0.0.1', []),
      newServer: () => (servers++, createMcpServer(deps)),
      logger: silentLogger(),
    });
  });
  after(async () => handle.close());

  it('refuses a request without the bearer token (401) or with a wrong one', async () => {
    assert.equal(await rawPost(handle.url, {}), 401);
    assert.equal(await rawPost(handle.url, { authorization: 'Bearer wrong-token-0123456789' }), 401);
  });

  it('refuses a Host header that is not loopback (DNS rebinding), even with the token', async () => {
    assert.equal(await rawPost(handle.url, { authorization: `Bearer ${TOKEN}`, host: 'evil.example:80' }), 403);
  });

  it('serves a client with the token, one server instance per session', async () => {
    const open = async (): Promise<Client> => {
      const client = new Client({ name: 'http-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(handle.url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
      return client;
    };
    const before = servers;
    const a = await open();
    const b = await open();
    try {
      assert.equal(servers - before, 2);
      const { tools } = await a.listTools();
      assert.equal(tools.length, READ_ONLY_TOOLS.length, 'the read-only tools, as this server is read-only');
      const r = await b.callTool({ name: 'falco_get_version', arguments: {} });
      assert.equal((r.structuredContent as { versions: Array<{ falco: string }> }).versions[0]?.falco, '0.42.1');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('listen address and allowed hosts', () => {
  it('parses host:port forms and defaults a bare port to loopback', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(parseListenAddress(':9000'), { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(parseListenAddress('[::1]:80'), { host: '::1', port: 80 });
    assert.throws(() => parseListenAddress('8080'));
  });
  it('accepts only loopback names on a loopback bind, and the bind host otherwise', () => {
    assert.deepEqual(allowedHostsFor('127.0.0.1', []), ['localhost', '127.0.0.1', '[::1]']);
    assert.deepEqual(allowedHostsFor('10.0.0.5', ['falconer.example']), ['10.0.0.5', 'falconer.example']);
    assert.deepEqual(allowedHostsFor('0.0.0.0', []), []);
  });
});
