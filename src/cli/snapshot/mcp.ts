/**
 * Entry of the startup snapshot of `falconer mcp` (bundled to dist/cli/snapshot-mcp.cjs). The MCP
 * SDK builds its zod schemas when it loads, and the tools theirs: that, and the first exchange of
 * a session, are done here once. The warm-up serves `initialize`, `tools/list` and
 * `resources/list` to a client in this process; the cluster-facing dependencies are never called
 * by those and throw if they were.
 */
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '../../log/logger.ts';
import { DEFAULT_LIMITS } from '../../mcp/deps.ts';
import type { FalcoFleet, FalconerObjects } from '../../mcp/deps.ts';
import { createMcpServer } from '../../mcp/server.ts';
import { registerMcpCommand } from '../commands/mcp.ts';
import { snapshotEntry } from './entry.ts';

function unavailable<T extends object>(): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new Error('not available while the snapshot is built')),
  });
}

async function serveOneSession(): Promise<void> {
  const server = createMcpServer({
    fleet: unavailable<FalcoFleet>(),
    objects: unavailable<FalconerObjects>(),
    defaults: { namespace: 'default' },
    readOnly: false,
    limits: DEFAULT_LIMITS,
    logger: createLogger({ stderr: true, level: 'error' }),
    version: '0.0.0',
  });
  const [client, serverSide] = InMemoryTransport.createLinkedPair();
  const answered = new Map<number, (m: JSONRPCMessage) => void>();
  client.onmessage = (message) => {
    if ('id' in message && typeof message.id === 'number') answered.get(message.id)?.(message);
  };
  await server.connect(serverSide);
  await client.start();
  const call = (id: number, method: string, params: Record<string, unknown> = {}): Promise<JSONRPCMessage> =>
    new Promise((resolve) => {
      answered.set(id, resolve);
      void client.send({ jsonrpc: '2.0', id, method, params });
    });
  await call(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'falconer-snapshot', version: '0' } });
  await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await call(2, 'tools/list');
  await call(3, 'resources/list');
  await server.close();
}

snapshotEntry({
  register: registerMcpCommand,
  warmUp: async () => {
    await serveOneSession();
    // The command's own module, loaded lazily by its action, is loaded here so that it is in the snapshot.
    await import('../commands/mcp-run.ts');
  },
});
