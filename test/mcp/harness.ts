import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { silentLogger } from '../../src/log/logger.ts';
import { DEFAULT_LIMITS } from '../../src/mcp/deps.ts';
import type { FalconerObject, FalconerObjects, McpDeps } from '../../src/mcp/deps.ts';
import { createMcpServer } from '../../src/mcp/server.ts';
import type { FalcoPod } from '../../src/kube/pods.ts';
import { DEFAULT_INVOCATION } from '../../src/falco/argv.ts';
import { recordedFleet } from '../support/recorded-falco.ts';
import type { FakeFleet } from '../support/recorded-falco.ts';

export const NS = 'falco-system';

export const TWO_PODS: FalcoPod[] = [
  { namespace: NS, name: 'main-falco-a', node: 'node-a', ready: true, invocation: DEFAULT_INVOCATION },
  { namespace: NS, name: 'main-falco-b', node: 'node-b', ready: true, invocation: DEFAULT_INVOCATION },
];

export interface MemoryObjects extends FalconerObjects {
  monitors: Map<string, FalconerObject>;
  ruleSets: Map<string, FalconerObject>;
  applied: FalconerObject[];
}

export function memoryObjects(monitorNames: string[] = ['main']): MemoryObjects {
  const monitors = new Map<string, FalconerObject>();
  for (const name of monitorNames) monitors.set(`${NS}/${name}`, { apiVersion: 'falconer.dev/v1alpha1', kind: 'FalcoMonitor', metadata: { name, namespace: NS } });
  const ruleSets = new Map<string, FalconerObject>();
  const applied: FalconerObject[] = [];
  const inNs = (m: Map<string, FalconerObject>, ns: string): FalconerObject[] => [...m.entries()].filter(([k]) => k.startsWith(`${ns}/`)).map(([, v]) => v);
  return {
    monitors,
    ruleSets,
    applied,
    listMonitors: async (ns) => inNs(monitors, ns),
    getMonitor: async (ns, name) => monitors.get(`${ns}/${name}`),
    listRuleSets: async (ns) => inNs(ruleSets, ns),
    getRuleSet: async (ns, name) => ruleSets.get(`${ns}/${name}`),
    applyMonitor: async (m, _force, dryRun) => {
      if (dryRun === true) return { ...m };
      applied.push(m);
      const key = `${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''}`;
      const prev = monitors.get(key);
      const stored: FalconerObject = {
        ...m,
        metadata: { ...m.metadata, generation: (prev?.metadata?.generation ?? 0) + 1 },
        status: { conditions: [{ type: 'Ready', status: 'True', reason: 'AllNodesReady' }], readyNodes: 1, desiredNodes: 1 },
      };
      monitors.set(key, stored);
      return stored;
    },
  };
}

export interface Harness {
  client: Client;
  deps: McpDeps;
  fleet: FakeFleet;
  objects: MemoryObjects;
  close(): Promise<void>;
}

export async function connect(options: {
  readOnly?: boolean;
  pods?: FalcoPod[];
  logs?: Record<string, string>;
  objects?: MemoryObjects;
  capabilities?: ClientCapabilities;
  deps?: Partial<McpDeps>;
} = {}): Promise<Harness> {
  const fleet = recordedFleet(options.pods ?? TWO_PODS, options.logs);
  const objects = options.objects ?? memoryObjects();
  const deps: McpDeps = {
    fleet,
    objects,
    defaults: { namespace: NS },
    readOnly: options.readOnly ?? false,
    limits: DEFAULT_LIMITS,
    logger: silentLogger(),
    version: '0.0.0-test',
    ...options.deps,
  };
  const server = createMcpServer(deps);
  const client = new Client({ name: 'test', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(clientSide), server.connect(serverSide)]);
  // The v1 client caches output validators from tools/list and checks structuredContent against them.
  await client.listTools();
  return { client, deps, fleet, objects, close: async () => { await client.close(); await server.close(); } };
}

export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
}
