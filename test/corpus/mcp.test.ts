/**
 * The MCP door of the bad-input corpus, in process (tools against a recorded Falco fleet and
 * in-memory objects): every call of bad-mcp.ts ends in a clear error, no exec carries its
 * payload, nothing is written, and the server keeps answering.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, textOf } from '../mcp/harness.ts';
import type { Harness } from '../mcp/harness.ts';
import { recordFigures } from '../support/report.ts';
import { BAD_CALLS, READ_ONLY_CALLS } from './bad-mcp.ts';
import type { BadCall } from './bad-mcp.ts';

async function refusal(h: Harness, bad: BadCall): Promise<string | undefined> {
  try {
    const r = await h.client.callTool({ name: bad.tool, arguments: bad.args });
    return r.isError === true ? textOf(r) : undefined;
  } catch (err) {
    // Schema violations and unknown tools are JSON-RPC errors in this SDK version.
    return err instanceof Error ? err.message : String(err);
  }
}

async function tryAll(h: Harness, calls: readonly BadCall[]): Promise<{ refused: number; problems: string[] }> {
  const problems: string[] = [];
  let refused = 0;
  for (const bad of calls) {
    const execsBefore = h.fleet.execs.length;
    const message = await refusal(h, bad);
    if (bad.expect === 'harmless') {
      if (h.fleet.execs.slice(execsBefore).some((e) => e.pod === bad.payload)) problems.push(`${bad.id}: exec ran in the named pod`);
    } else if (message === undefined) problems.push(`${bad.id}: accepted`);
    else if (message.trim().length < 10) problems.push(`${bad.id}: unclear error "${message}"`);
    else refused += 1;
    const payload = bad.payload;
    if (payload !== undefined && h.fleet.execs.slice(execsBefore).some((e) => e.argv.some((a) => a.includes(payload)))) {
      problems.push(`${bad.id}: the payload reached an exec argv`);
    }
  }
  return { refused, problems };
}

describe('bad MCP tool calls', () => {
  it(`refuses all ${BAD_CALLS.length + READ_ONLY_CALLS.length} bad calls clearly, runs none of their payloads and writes nothing`, async () => {
    const rssBefore = process.memoryUsage().rss;
    const h = await connect();
    const ro = await connect({ readOnly: true });
    try {
      const monitorsBefore = JSON.stringify([...h.objects.monitors]);
      const a = await tryAll(h, BAD_CALLS);
      const b = await tryAll(ro, READ_ONLY_CALLS);
      recordFigures('corpus/mcp', { badInputsTried: BAD_CALLS.length + READ_ONLY_CALLS.length, badInputsRefused: a.refused + b.refused });
      assert.deepEqual([...a.problems, ...b.problems], []);
      assert.deepEqual(h.objects.applied, [], 'no monitor was applied');
      assert.equal(JSON.stringify([...h.objects.monitors]), monitorsBefore);
      const ok = await h.client.callTool({ name: 'falco_get_version', arguments: {} });
      assert.notEqual(ok.isError, true, 'the server still answers good calls');
      assert.ok(process.memoryUsage().rss - rssBefore < 512 * 1024 * 1024);
    } finally {
      await h.close();
      await ro.close();
    }
  });
});
