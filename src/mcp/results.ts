import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FalconerError } from '../core/errors.ts';
import type { Logger } from '../log/logger.ts';

/** Longest text block a tool returns; past this a visible marker says what was cut. */
export const MAX_TEXT_CHARS = 12_000;

export function capText(text: string, max = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n…[truncated: ${text.length - max} more characters; narrow the query or use the cursor]`;
}

/** A success: structured content that matches the tool's outputSchema, plus a short text. */
export function okResult<T extends Record<string, unknown>>(text: string, structured: T): CallToolResult {
  return { content: [{ type: 'text', text: capText(text) }], structuredContent: structured };
}

/**
 * A failure the caller can act on. Only text and isError: strict v1 clients validate
 * structuredContent even on errors, so none is attached.
 */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: capText(message) }], isError: true };
}

/**
 * Runs a tool body and turns thrown errors into isError results. Falconer's own errors carry
 * messages written for users; anything else is reported generically so that no stack, URL or
 * token from a library reaches the client. Logged once, here.
 */
export async function runTool(
  tool: string,
  logger: Logger,
  body: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const started = Date.now();
  try {
    const result = await body();
    logger.info('Tool call finished', { component: 'mcp', tool, ms: Date.now() - started, isError: result.isError === true });
    return result;
  } catch (err) {
    const known = err instanceof FalconerError;
    logger.warn('Tool call failed', { component: 'mcp', tool, ms: Date.now() - started, error: String(err) });
    return errorResult(known ? err.message : `${tool} failed unexpectedly; see the server log for details.`);
  }
}

/**
 * The honest annotations of every tool that only reads: it changes nothing, asking twice gives
 * the same answer, and it talks to the cluster's Falco pods only (a closed world).
 */
export const READ_ONLY_TOOL = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
