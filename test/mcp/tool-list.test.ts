/**
 * tools/list from the generated JSON Schemas (src/mcp/tool-list.ts) is the SDK's own answer: the
 * same text on the wire, for every tool, in read-only mode too; a tool the table lacks is converted
 * as the SDK converts it, and a disabled one is left out. That the generated file matches the zod
 * schemas is test/api/generate.test.ts's part.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { silentLogger } from '../../src/log/logger.ts';
import { DEFAULT_LIMITS } from '../../src/mcp/deps.ts';
import type { McpDeps } from '../../src/mcp/deps.ts';
import { createMcpServer, registerTools } from '../../src/mcp/server.ts';
import { listToolsFrom, toolSchemasOf } from '../../src/mcp/tool-list.ts';
import type { ToolSchemas } from '../../src/mcp/tool-list.ts';
import { memoryObjects } from './harness.ts';
import { recordedFleet } from '../support/recorded-falco.ts';

function deps(readOnly: boolean): McpDeps {
  return { fleet: recordedFleet([]), objects: memoryObjects(), defaults: { namespace: 'falco' }, readOnly, limits: DEFAULT_LIMITS, logger: silentLogger(), version: '0.0.0-test' };
}

/** The text of the server's answer to tools/list, as it went on the wire. */
async function toolsListText(server: McpServer): Promise<string> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const sent: JSONRPCMessage[] = [];
  const send = serverSide.send.bind(serverSide);
  serverSide.send = async (message, options) => {
    sent.push(message);
    await send(message, options);
  };
  const client = new Client({ name: 'test', version: '1.0.0' });
  await Promise.all([client.connect(clientSide), server.connect(serverSide)]);
  try {
    const listed = await client.listTools();
    assert.ok(listed.tools.length > 0);
    const answer = sent.find((m) => 'result' in m && 'tools' in m.result);
    assert.ok(answer !== undefined, 'no tools/list answer was sent');
    return JSON.stringify('result' in answer ? answer.result : undefined);
  } finally {
    await client.close();
    await server.close();
  }
}

describe('tools/list from the generated JSON Schemas', () => {
  for (const readOnly of [false, true]) {
    it(`is the SDK's own answer, byte for byte${readOnly ? ', in read-only mode' : ''}`, async () => {
      const generated = await toolsListText(createMcpServer(deps(readOnly)));
      const converted = await toolsListText(createMcpServer(deps(readOnly), { toolSchemas: 'converted' }));
      assert.equal(generated, converted);
      const names = (JSON.parse(generated) as { tools: { name: string; inputSchema: object; outputSchema?: object }[] }).tools;
      assert.equal(names.some((t) => t.name === 'falco_start_monitoring'), !readOnly);
      // every tool has both schemas, so the comparison covers both
      for (const t of names) assert.ok(Object.keys(t.inputSchema).length > 0 && t.outputSchema !== undefined, t.name);
    });
  }

  it('converts a tool the table lacks, as the SDK does', async () => {
    const server = new McpServer({ name: 'falconer', version: '0' });
    const tools = registerTools(server, deps(false));
    const [first, ...rest] = tools;
    assert.ok(first !== undefined);
    const partial: Record<string, ToolSchemas> = toolSchemasOf(rest);
    listToolsFrom(server, tools, partial);
    const sdk = new McpServer({ name: 'falconer', version: '0' });
    registerTools(sdk, deps(false));
    assert.equal(await toolsListText(server), await toolsListText(sdk));
  });

  it('leaves a disabled tool out, as the SDK does', async () => {
    const server = new McpServer({ name: 'falconer', version: '0' });
    const tools = registerTools(server, deps(false));
    listToolsFrom(server, tools);
    const sdk = new McpServer({ name: 'falconer', version: '0' });
    const sdkTools = registerTools(sdk, deps(false));
    tools[1]?.tool.disable();
    sdkTools[1]?.tool.disable();
    const text = await toolsListText(server);
    assert.equal(text, await toolsListText(sdk));
    assert.doesNotMatch(text, new RegExp(`"name":"${tools[1]?.name}"`));
  });
});
