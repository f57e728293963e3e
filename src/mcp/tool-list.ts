/**
 * tools/list without converting zod schemas on the way. The SDK's McpServer answers tools/list by
 * converting every tool's input and output schema from zod to JSON Schema, on every call; on a
 * first start of `falconer mcp` that was ~8 ms of the ~150 before the first answer
 * (docs/benchmarks.md, Footprint). The JSON Schemas are generated ahead from the same zod schemas
 * into generated/tool-schemas.ts (`npm run generate`; test/api/generate.test.ts fails when the
 * file no longer matches them), and the answer is otherwise built as the SDK builds it:
 * test/mcp/tool-list.test.ts compares the two answers field by field.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { normalizeObjectSchema } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ListToolsResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_SCHEMAS } from './generated/tool-schemas.ts';

/** A tool as registered: the SDK's RegisteredTool does not carry its own name. */
export interface NamedTool {
  readonly name: string;
  readonly tool: RegisteredTool;
}

/** A tool's schemas as tools/list gives them. */
export interface ToolSchemas {
  readonly inputSchema: Tool['inputSchema'];
  readonly outputSchema?: Tool['outputSchema'];
}

/** What the SDK lists for a tool without an input schema. */
const NO_INPUT: Tool['inputSchema'] = { type: 'object', properties: {} };

/** The tool's schemas converted to JSON Schema with the SDK's converter and its options for tools/list. */
export function convertToolSchemas(tool: RegisteredTool): ToolSchemas {
  const input = normalizeObjectSchema(tool.inputSchema);
  const output = tool.outputSchema === undefined ? undefined : normalizeObjectSchema(tool.outputSchema);
  const inputSchema = input === undefined ? NO_INPUT : (toJsonSchemaCompat(input, { strictUnions: true, pipeStrategy: 'input' }) as Tool['inputSchema']);
  if (output === undefined) return { inputSchema };
  return { inputSchema, outputSchema: toJsonSchemaCompat(output, { strictUnions: true, pipeStrategy: 'output' }) as Tool['outputSchema'] };
}

/** Each tool's converted schemas by name, in registration order: generated/tool-schemas.ts. */
export function toolSchemasOf(tools: readonly NamedTool[]): Record<string, ToolSchemas> {
  return Object.fromEntries(tools.map(({ name, tool }) => [name, convertToolSchemas(tool)]));
}

/**
 * Replaces the SDK's tools/list handler on `server` with one that reads each tool's schemas from
 * `table` and converts only those of a tool the table lacks. `tools` are all the tools registered
 * on `server`, in the order they were registered (the SDK lists them in that order); a disabled
 * one is left out, as the SDK leaves it out.
 */
export function listToolsFrom(server: McpServer, tools: readonly NamedTool[], table: Readonly<Record<string, ToolSchemas>> = TOOL_SCHEMAS): void {
  server.server.setRequestHandler(
    ListToolsRequestSchema,
    (): ListToolsResult => ({
      tools: tools
        .filter(({ tool }) => tool.enabled)
        .map(({ name, tool }) => {
          const { inputSchema, outputSchema } = table[name] ?? convertToolSchemas(tool);
          // The SDK's field order, so that the answer is the same text as well.
          const listed: Tool = { name, title: tool.title, description: tool.description, inputSchema, annotations: tool.annotations, execution: tool.execution, _meta: tool._meta };
          return outputSchema === undefined ? listed : { ...listed, outputSchema };
        }),
    }),
  );
}
