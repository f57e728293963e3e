/**
 * A real MCP client, the MCP Inspector CLI, against `falconer mcp` over stdio and over
 * Streamable HTTP with a bearer token. Exec reaches the test-only stand-in `falco` in a
 * simulated pod, which replays recorded real Falco 0.42.1 output.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { READ_ONLY_TOOLS, WRITE_TOOLS } from '../../src/mcp/server.ts';
import { getTestCluster } from '../support/cluster.ts';
import { ensureInspector } from '../support/inspector.ts';
import { shippedLauncher } from '../support/shipped-cli.ts';
import { MONITOR, createFalcoPod, waitForReadyPods } from './int-support.ts';

let INSPECTOR = '';
// `falconer` as users run it: the launcher, which starts mcp from its snapshot.
const FALCONER = shippedLauncher();
const TOKEN = 'int-test-token-5f0c2d9a81b7';
// The Inspector's shebang is `#!/usr/bin/env node` and the launcher runs `node`: both must find
// Node 24, the one running us.
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(INSPECTOR, args, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `falconer mcp --http` on a free loopback port and reads the URL from its log. */
function startHttpServer(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(FALCONER, ['mcp', '--http', '127.0.0.1:0', ...args], { env: { ...ENV, FALCONER_LOG_FORMAT: 'json', FALCONER_LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => {
      // Never leave the server behind: a live child would keep this test process from exiting.
      child.kill('SIGKILL');
      reject(new Error(`falconer mcp --http did not start: ${log}`));
    }, 30_000);
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(log);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.on('exit', (code) => reject(new Error(`falconer mcp exited with ${code}: ${log}`)));
  });
}

describe('MCP Inspector CLI against falconer mcp', () => {
  let kubeconfig: string;
  let ns: string;
  let http: { url: string; child: ChildProcess } | undefined;

  before(async () => {
    INSPECTOR = await ensureInspector();
    const cluster = await getTestCluster();
    kubeconfig = cluster.kubeconfigPath;
    ns = await cluster.createNamespace('mcp-inspector');
    const kc = cluster.kubeConfig();
    await createFalcoPod(kc, ns, `${MONITOR}-falco-0`, cluster.nodeNames[0] ?? '');
    await waitForReadyPods(kc, ns, 1);
  });
  after(() => void http?.child.kill('SIGTERM'));

  const serverArgs = (): string[] => ['--kubeconfig', kubeconfig, '--namespace', ns, '--monitor', MONITOR];

  it('lists the tools over stdio', async () => {
    const r = await run(['--cli', '--format', 'json', '-q', '--method', 'tools/list', '--', FALCONER, 'mcp', ...serverArgs()]);
    assert.equal(r.code, 0, r.stderr);
    const names = (JSON.parse(r.stdout) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name);
    assert.ok(names.includes('falco_get_version') && names.includes('falco_start_monitoring'), names.join(','));
    assert.equal(names.length, READ_ONLY_TOOLS.length + WRITE_TOOLS.length);
  });

  it('calls falco_get_version over stdio', async () => {
    const r = await run(['--cli', '--format', 'json', '-q', '--method', 'tools/call', '--tool-name', 'falco_get_version', '--', FALCONER, 'mcp', '--read-only', ...serverArgs()]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { result: { structuredContent: { versions: Array<{ falco: string }> } } };
    assert.equal(out.result.structuredContent.versions[0]?.falco, '0.42.1');
  });

  it('calls falco_get_version over HTTP with the token, and is refused without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falconer-mcp-token-'));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
    http = await startHttpServer(['--token-file', join(dir, 'token'), '--read-only', ...serverArgs()]);
    const call = ['--cli', '--format', 'json', '-q', '--transport', 'http', '--server-url', http.url, '--method', 'tools/call', '--tool-name', 'falco_get_version'];
    const withToken = await run([...call, '--header', `Authorization: Bearer ${TOKEN}`]);
    assert.equal(withToken.code, 0, withToken.stderr);
    assert.match(withToken.stdout, /"falco":"0\.42\.1"/);

    const without = await run(call);
    assert.notEqual(without.code, 0);
    const raw = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.equal(raw.status, 401);
  });
});
