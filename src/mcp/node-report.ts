/**
 * What a monitor's status says each node's Falco loaded (written by the operator from Falco's own
 * /metrics), read back for the MCP tools. The status is parsed with the API's own schema, so the
 * tools report exactly the fields `kubectl get falcomonitor -o yaml` shows.
 */
import * as z from 'zod';
import { monitorStatusSchema } from '../api/monitor.ts';
import type { MonitorStatus } from '../api/monitor.ts';
import { FalconerError } from '../core/errors.ts';
import type { McpDeps } from './deps.ts';
import type { MonitorRef } from './target.ts';

export const nodeReportOutput = z.object({
  loaded: z.string().optional().describe('Nodes that run exactly the intended bundle and falco.yaml, of the desired nodes (e.g. 3/3).'),
  loadedNodes: z.number().int().optional(),
  desiredNodes: z.number().int().optional(),
  bundleHash: z.string().optional().describe('The bundle the monitor intends every node to run.'),
  source: z.enum(['Falco', 'Simulated']).optional().describe("Falco's /metrics, or a test responder on simulated nodes."),
  rulesLoaded: z.object({ status: z.string(), reason: z.string(), message: z.string() }).optional(),
  falcoVersions: z.array(z.object({ version: z.string(), nodes: z.number().int() })),
  notLoadedNodes: z.array(z.record(z.string(), z.unknown())).describe('Nodes that do not run the intended files, with what they run instead.'),
  notLoadedNodeCount: z.number().int(),
  eventDrops: z.number().int().optional(),
});
export type NodeReportOutput = z.infer<typeof nodeReportOutput>;

export async function readNodeReport(deps: McpDeps, ref: MonitorRef): Promise<NodeReportOutput> {
  const monitor = await deps.objects.getMonitor(ref.namespace, ref.monitor);
  if (monitor === undefined) throw new FalconerError(`FalcoMonitor ${ref.namespace}/${ref.monitor} does not exist.`);
  const parsed = monitorStatusSchema.safeParse(monitor.status ?? {});
  const status: MonitorStatus = parsed.success ? parsed.data : {};
  const rulesLoaded = status.conditions?.find((c) => c.type === 'RulesLoaded');
  return {
    ...(status.loaded !== undefined ? { loaded: status.loaded } : {}),
    ...(status.loadedNodes !== undefined ? { loadedNodes: status.loadedNodes } : {}),
    ...(status.desiredNodes !== undefined ? { desiredNodes: status.desiredNodes } : {}),
    ...(status.bundleHash !== undefined ? { bundleHash: status.bundleHash } : {}),
    ...(status.nodeReports !== undefined ? { source: status.nodeReports } : {}),
    ...(rulesLoaded !== undefined ? { rulesLoaded: { status: rulesLoaded.status, reason: rulesLoaded.reason, message: rulesLoaded.message } } : {}),
    falcoVersions: status.falcoVersions ?? [],
    notLoadedNodes: status.notLoadedNodes ?? [],
    notLoadedNodeCount: status.notLoadedNodeCount ?? 0,
    ...(status.eventDrops !== undefined ? { eventDrops: status.eventDrops } : {}),
  };
}

/** One line for the text result. */
export function describeNodeReport(ref: MonitorRef, r: NodeReportOutput): string {
  if (r.rulesLoaded === undefined) return `${ref.namespace}/${ref.monitor}: the operator reports no per-node load (it does not read Falco's metrics, or nothing is deployed yet).`;
  const from = r.source === 'Simulated' ? ' (simulated nodes: a test responder, not a real Falco)' : '';
  const versions = r.falcoVersions.map((v) => `Falco ${v.version} on ${v.nodes}`).join(', ');
  const off = r.notLoadedNodes.slice(0, 5).map((n) => `${String(n['node'])}: ${String(n['state'])}`).join(', ');
  return `${ref.namespace}/${ref.monitor}: ${r.loaded ?? '?'} nodes loaded bundle ${(r.bundleHash ?? '').slice(7, 19)}${from}; RulesLoaded=${r.rulesLoaded.status} (${r.rulesLoaded.reason}); ${versions || 'no versions reported'}${off ? `; not loaded: ${off}` : ''}.`;
}
