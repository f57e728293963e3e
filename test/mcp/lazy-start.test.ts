/**
 * `falconer mcp` over stdio starts without the Kubernetes client: the handshake and tools/list
 * are answered at once, and the cluster side loads on the first call that may need it, with
 * every message after it delivered in order once it has loaded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { silentLogger } from '../../src/log/logger.ts';
import { DEFAULT_LIMITS } from '../../src/mcp/deps.ts';
import type { McpDeps } from '../../src/mcp/deps.ts';
import { GatedTransport } from '../../src/mcp/gated-transport.ts';
import { lazyDeps } from '../../src/mcp/lazy-deps.ts';
import type { LoadedDeps } from '../../src/mcp/lazy-deps.ts';
import { staticRulesEngine } from '../../src/mcp/rules-engine.ts';
import { createMcpServer } from '../../src/mcp/server.ts';
import { recordedFleet } from '../support/recorded-falco.ts';
import { launcherEnv, shippedLauncher } from '../support/shipped-cli.ts';
import { NS, TWO_PODS, memoryObjects, textOf } from './harness.ts';

interface Started {
  client: Client;
  errors: Error[];
  loads: () => number;
  release: () => void;
  close: () => Promise<void>;
}

/** The server as runStdio wires it, with a cluster load that waits until `release()`. */
async function start(load: () => Promise<LoadedDeps>): Promise<Started> {
  let loads = 0;
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const cluster = lazyDeps(async () => {
    loads += 1;
    await released;
    return load();
  }, 'main');
  const deps: McpDeps = { fleet: cluster.fleet, objects: cluster.objects, defaults: cluster.defaults, rulesEngine: cluster.rulesEngine, readOnly: false, limits: DEFAULT_LIMITS, logger: silentLogger(), version: '0.0.0-test' };
  const server = createMcpServer(deps);
  const errors: Error[] = [];
  server.server.onerror = (err) => errors.push(err);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(new GatedTransport(serverSide, cluster.load));
  const client = new Client({ name: 'lazy-start-test', version: '1' });
  await client.connect(clientSide);
  return { client, errors, loads: () => loads, release, close: async () => { await client.close(); await server.close(); } };
}

const memoryCluster = async (): Promise<LoadedDeps> => ({ fleet: recordedFleet(TWO_PODS), objects: memoryObjects(), namespace: NS, rulesEngine: staticRulesEngine() });

describe('falconer mcp start-up without the Kubernetes client', () => {
  it('answers the handshake and tools/list without waiting for the cluster side, then loads it', async () => {
    const s = await start(memoryCluster);
    try {
      // The load never finishes until release(): the listing cannot have waited for it.
      const { tools } = await s.client.listTools();
      assert.ok(tools.some((t) => t.name === 'falco_get_version'));
      // Once the tools are listed, the cluster side starts loading in the background.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(s.loads(), 1);
    } finally {
      s.release();
      await s.close();
    }
  });

  it('holds a tool call until the cluster side has loaded, then answers it with the kubeconfig namespace', async () => {
    const s = await start(memoryCluster);
    try {
      const call = s.client.callTool({ name: 'falco_get_version', arguments: {} });
      // The call is held, not answered or failed, while the load has not finished.
      const early = await Promise.race([call.then(() => 'answered'), new Promise((r) => setTimeout(() => r('held'), 50))]);
      assert.equal(early, 'held');
      assert.equal(s.loads(), 1);
      const tools = s.client.listTools();
      s.release();
      const result = await call;
      assert.notEqual(result.isError, true, textOf(result));
      assert.match(JSON.stringify(result.structuredContent), new RegExp(`"namespace":"${NS}"`));
      // Messages behind the held one are delivered after it, in order.
      assert.ok((await tools).tools.length > 0);
      assert.equal(s.loads(), 1, 'loaded once');
    } finally {
      s.release();
      await s.close();
    }
  });

  it('reports a cluster side that fails to load on the call that needed it', async () => {
    const s = await start(async () => {
      throw new Error('no kubeconfig at /nowhere');
    });
    try {
      s.release();
      const call = s.client.callTool({ name: 'falco_get_version', arguments: {} }, undefined, { timeout: 500 });
      await assert.rejects(call, /timed out/i, 'the call is not delivered to a server without a cluster');
      assert.equal(s.loads(), 1);
      assert.deepEqual(s.errors.map((e) => e.message), ['no kubeconfig at /nowhere']);
    } finally {
      await s.close();
    }
  });

  it('the shipped CLI lists its tools, then exits with the error when the kubeconfig cannot be read', async () => {
    const child = spawn(shippedLauncher(), ['mcp', '--kubeconfig', '/nonexistent/kubeconfig'], { stdio: ['pipe', 'pipe', 'pipe'], env: launcherEnv() });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const answers: Array<{ id?: number; result?: { tools?: unknown[] } }> = [];
    createInterface({ input: child.stdout }).on('line', (line) => answers.push(JSON.parse(line) as { id?: number }));
    const send = (m: object): boolean => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'falco_get_version', arguments: {} } });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.ok((answers.find((a) => a.id === 2)?.result?.tools?.length ?? 0) > 0, 'tools/list was answered');
    assert.equal(answers.find((a) => a.id === 3), undefined, 'the tool call was not');
    assert.equal(code, 1);
    assert.match(stderr, /^falconer: .*\/nonexistent\/kubeconfig/m);
    // The bundle's stack trace names the TypeScript sources (src/cli/source-maps.ts).
    assert.match(stderr, /^    at loadKubeConfig \(src\/kube\/client\.ts:\d+:\d+\)$/m);
  });

  it('ends with exit status 0 when the client closes stdin (the end of a stdio session)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falconer-mcp-eof-'));
    // Read, never dialled: the session ends before any call needs the cluster.
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: ns}}]\ncurrent-context: x\n');
    try {
      const child = spawn(shippedLauncher(), ['mcp', '--kubeconfig', kubeconfig], { stdio: ['pipe', 'pipe', 'pipe'], env: launcherEnv() });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const answered = new Promise<void>((resolve) => createInterface({ input: child.stdout }).on('line', (line) => { if ((JSON.parse(line) as { id?: number }).id === 2) resolve(); }));
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } })}\n`);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
      await answered;
      child.stdin.end();
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /unsettled top-level await|unexpected error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
