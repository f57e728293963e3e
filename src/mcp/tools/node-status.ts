import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpDeps } from '../deps.ts';
import { describeNodeReport, nodeReportOutput, readNodeReport } from '../node-report.ts';
import { okResult, runTool, READ_ONLY_TOOL } from '../results.ts';
import { resolveMonitor, targetShape } from '../target.ts';
import { toolInput } from '../tool-input.ts';
import type { NamedTool } from '../tool-list.ts';

export const nodeStatusInput = {
  namespace: targetShape.namespace,
  monitor: targetShape.monitor,
};

export const nodeStatusOutput = nodeReportOutput.extend({
  namespace: nodeReportOutput.shape.bundleHash.unwrap(),
  monitor: nodeReportOutput.shape.bundleHash.unwrap(),
});

export function registerNodeStatus(server: McpServer, deps: McpDeps): NamedTool {
  const name = 'falco_node_status';
  const tool = server.registerTool(
    name,
    {
      title: 'What each node of a monitor loaded',
      description:
        "Reports, per FalcoMonitor, how many nodes run exactly the intended rules bundle and falco.yaml (by the sha256 " +
        "that Falco itself reports on /metrics), the nodes that do not and what they run instead, each node's Falco " +
        'version, recent event drops and the RulesLoaded condition. Read-only: it reads the status the operator wrote.',
      inputSchema: toolInput(nodeStatusInput),
      outputSchema: nodeStatusOutput,
      annotations: READ_ONLY_TOOL,
    },
    async (args) =>
      runTool('falco_node_status', deps.logger, async () => {
        const ref = await resolveMonitor(deps, args);
        const report = await readNodeReport(deps, ref);
        return okResult(describeNodeReport(ref, report), { ...ref, ...report });
      }),
  );
  return { name, tool };
}
