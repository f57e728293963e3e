/**
 * Integration helpers: "Falco pods" of a monitor without the operator (plain pods with the
 * monitor's labels and a `falco` container; kwok makes them Running/Ready, and exec into them
 * runs the test-only stand-in `falco`, which replays recorded real Falco 0.42.1 output).
 */
import { writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { FALCO_CONTAINER, labelsFor } from '../../src/api/names.ts';
import { listFalcoPods } from '../../src/kube/pods.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { DEFAULT_LIMITS } from '../../src/mcp/deps.ts';
import type { McpDeps } from '../../src/mcp/deps.ts';
import { kubeFleet, kubeObjects } from '../../src/mcp/kube-deps.ts';
import { staticRulesEngine } from '../../src/mcp/rules-engine.ts';
import { createMcpServer } from '../../src/mcp/server.ts';

export const MONITOR = 'main';

export async function createFalcoPod(kc: KubeConfig, namespace: string, name: string, node: string, options: { command?: string[]; monitor?: string } = {}): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, labels: labelsFor(options.monitor ?? MONITOR, 'falco') },
      spec: {
        nodeName: node,
        containers: [{ name: FALCO_CONTAINER, image: 'falcosecurity/falco:0.42.1', ...(options.command ? { command: options.command } : {}) }],
      },
    },
  });
}

/** Polls until `count` pods of the monitor are Ready (kwok's pod-ready stage is fast). */
export async function waitForReadyPods(kc: KubeConfig, namespace: string, count: number, timeoutMs = 30_000): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pods = await listFalcoPods(core, namespace, MONITOR);
    if (pods.filter((p) => p.ready).length >= count) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Falco pods in ${namespace} not Ready after ${timeoutMs} ms`);
}

export function clusterDeps(kc: KubeConfig, namespace: string, overrides: Partial<McpDeps> = {}): McpDeps {
  return {
    fleet: kubeFleet(kc, DEFAULT_LIMITS.maxExecOutputBytes),
    objects: kubeObjects(kc),
    rulesEngine: staticRulesEngine(),
    defaults: { namespace, monitor: MONITOR },
    readOnly: false,
    limits: { ...DEFAULT_LIMITS, execTimeoutMs: 20_000 },
    logger: silentLogger(),
    version: 'int-test',
    ...overrides,
  };
}

export async function connectClient(deps: McpDeps, capabilities: ClientCapabilities = {}): Promise<{ client: Client; close(): Promise<void> }> {
  const server = createMcpServer(deps);
  const client = new Client({ name: 'int-test', version: '1' }, { capabilities });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(a), server.connect(b)]);
  await client.listTools();
  return { client, close: async () => { await client.close(); await server.close(); } };
}

/**
 * A container log file as the kubelet (and kwok) keeps it: CRI format, one
 * "<RFC3339Nano> <stream> F <line>" per line. kwok refuses plain text.
 */
export function writeCriLog(file: string, lines: Array<{ stream: 'stdout' | 'stderr'; text: string; time?: Date }>): void {
  const body = lines.map((l) => `${(l.time ?? new Date()).toISOString()} ${l.stream} F ${l.text}`).join('\n');
  writeFileSync(file, `${body}\n`);
}

export function falcoAlert(rule: string, priority: string, time: Date, fields: Record<string, unknown>, tags: string[] = []): string {
  return JSON.stringify({ hostname: 'node', output: `${time.toISOString()}: ${priority} ${rule}`, output_fields: fields, priority, rule, source: 'syscall', tags, time: time.toISOString() });
}
