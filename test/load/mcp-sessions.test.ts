/**
 * Load on the MCP HTTP server: many sessions at once, each paging through the loaded rules with
 * its own page size and filter and asking for versions and fields. Every session must get
 * exactly the answers its own requests ask for (no response, cursor or page of another session)
 * and no call may fail. Falco answers from recordings of a real Falco 0.42.1 (test fleet).
 */
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { silentLogger } from '../../src/log/logger.ts';
import { DEFAULT_LIMITS } from '../../src/mcp/deps.ts';
import { allowedHostsFor } from '../../src/mcp/http-guard.ts';
import { serveHttp } from '../../src/mcp/http.ts';
import type { HttpHandle } from '../../src/mcp/http.ts';
import { createMcpServer } from '../../src/mcp/server.ts';
import { recordedFleet } from '../support/recorded-falco.ts';
import { NS, TWO_PODS, memoryObjects } from '../mcp/harness.ts';

const TOKEN = 'load-token-0123456789abcdef';
const SESSIONS = 50;
const FILTERS = ['shell', 'container', 'file', 'network', 'sensitive', undefined];

interface RulesPage {
  matched: number;
  rules: Array<{ name: string }>;
  nextCursor?: string;
}

async function open(url: string): Promise<Client> {
  const client = new Client({ name: 'load', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  return client;
}

/** All rule names matching `name`, page by page with `limit`, as one session sees them. */
async function allRules(client: Client, name: string | undefined, limit: number): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 200; page++) {
    const r = await client.callTool({ name: 'falco_list_rules', arguments: { limit, ...(name ? { name } : {}), ...(cursor ? { cursor } : {}) } });
    if (r.isError === true) throw new Error(`list_rules failed: ${JSON.stringify(r.content).slice(0, 300)}`);
    const out = r.structuredContent as unknown as RulesPage;
    if (out.rules.length > limit) throw new Error(`page of ${out.rules.length} rules for limit ${limit}`);
    names.push(...out.rules.map((x) => x.name));
    cursor = out.nextCursor;
    if (cursor === undefined) return names;
  }
  throw new Error('pagination did not end');
}

describe('the MCP HTTP server under concurrent sessions', () => {
  let handle: HttpHandle;
  before(async () => {
    const deps = { fleet: recordedFleet(TWO_PODS), objects: memoryObjects(), defaults: { namespace: NS }, readOnly: true, limits: DEFAULT_LIMITS, logger: silentLogger(), version: 'load' };
    handle = await serveHttp({ host: '127.0.0.1', port: 0, token: TOKEN, allowedHosts: allowedHostsFor('127.0.0.1', []), newServer: () => createMcpServer(deps), logger: silentLogger() });
  });
  after(async () => handle.close());

  it(`serves ${SESSIONS} sessions at once with no error and no answer crossing sessions`, async (t: TestContext) => {
    // What one session alone sees, per filter: the reference every concurrent session must match.
    const reference = new Map<string, string[]>();
    const solo = await open(handle.url);
    try {
      for (const f of FILTERS) reference.set(f ?? '', await allRules(solo, f, 200));
    } finally {
      await solo.close();
    }
    assert.ok((reference.get('') ?? []).length > 20 && FILTERS.filter((f) => (reference.get(f ?? '') ?? []).length > 0).length >= 4, 'the filters select different rules');
    const started = Date.now();
    const clients = await Promise.all(Array.from({ length: SESSIONS }, () => open(handle.url)));
    try {
      const results = await Promise.allSettled(
        clients.map(async (client, i) => {
          const filter = FILTERS[i % FILTERS.length];
          const names = await allRules(client, filter, 3 + (i % 17));
          assert.deepEqual(names, reference.get(filter ?? ''), `session ${i} (filter ${filter ?? 'none'}) got another session's pages`);
          const v = await client.callTool({ name: 'falco_get_version', arguments: {} });
          assert.notEqual(v.isError, true);
          const fields = await client.callTool({ name: 'falco_list_fields', arguments: { prefix: i % 2 === 0 ? 'proc.' : 'fd.', limit: 5 } });
          assert.notEqual(fields.isError, true);
          const prefix = i % 2 === 0 ? 'proc.' : 'fd.';
          for (const f of (fields.structuredContent as { fields: Array<{ name: string }> }).fields) assert.ok(f.name.startsWith(prefix), `session ${i} got field ${f.name}`);
        }),
      );
      const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`session ${i}: ${String(r.reason).slice(0, 300)}`] : []));
      t.diagnostic(`${SESSIONS} sessions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.deepEqual(failures, []);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
