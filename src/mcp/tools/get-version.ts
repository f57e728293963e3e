import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { FalconerError, SimulatedNodeError } from '../../core/errors.ts';
import { versionArgv } from '../../falco/argv.ts';
import { falcoError } from '../../falco/stderr.ts';
import { parseFalcoVersion } from '../../falco/version.ts';
import type { FalcoVersion } from '../../falco/version.ts';
import type { McpDeps } from '../deps.ts';
import { forEachPod } from '../fleet.ts';
import { nodeReportOutput, readNodeReport } from '../node-report.ts';
import { okResult, runTool, READ_ONLY_TOOL } from '../results.ts';
import { podRef, podRefSchema, resolveMonitor, targetShape, timeoutMs } from '../target.ts';
import { toolInput } from '../tool-input.ts';
import type { NamedTool } from '../tool-list.ts';

export const getVersionInput = {
  namespace: targetShape.namespace,
  monitor: targetShape.monitor,
  node: targetShape.node,
  timeoutSeconds: targetShape.timeoutSeconds,
};

const versionSchema = z.object({
  falco: z.string(),
  libs: z.string(),
  engine: z.string().optional(),
  pluginApi: z.string().optional(),
  driverApi: z.string().optional(),
  driverSchema: z.string().optional(),
  defaultDriver: z.string().optional(),
});

export const getVersionOutput = z.object({
  namespace: z.string(),
  monitor: z.string(),
  podsQueried: z.number().int(),
  consistent: z.boolean().describe('True when every answering pod runs the same versions.'),
  versions: z.array(versionSchema.extend({ pods: z.array(podRefSchema) })),
  failures: z.array(podRefSchema.extend({ error: z.string() })),
  reportedOnMetrics: nodeReportOutput
    .pick({ loaded: true, source: true, falcoVersions: true })
    .optional()
    .describe("What the monitor's status says the nodes' Falco reports on /metrics (the operator's reading), to compare with the pods' own answers."),
});

type VersionGroup = z.infer<typeof getVersionOutput>['versions'][number];

function groupByVersion(answers: Array<{ version: FalcoVersion; pod: z.infer<typeof podRefSchema> }>): VersionGroup[] {
  const groups = new Map<string, VersionGroup>();
  for (const { version, pod } of answers) {
    const key = JSON.stringify(version);
    const group = groups.get(key) ?? { ...version, pods: [] };
    group.pods.push(pod);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.pods.length - a.pods.length);
}

export function registerGetVersion(server: McpServer, deps: McpDeps): NamedTool {
  const name = 'falco_get_version';
  const tool = server.registerTool(
    name,
    {
      title: 'Falco versions across a monitor',
      description:
        'Runs `falco --version` (JSON) in every Ready Falco pod of a FalcoMonitor and reports each distinct ' +
        'set of versions (Falco, libs, engine, plugin API, driver) with the pods that run it, so version drift ' +
        'across nodes is visible. Pass "node" to ask one pod only. Read-only.',
      inputSchema: toolInput(getVersionInput),
      outputSchema: getVersionOutput,
      annotations: READ_ONLY_TOOL,
    },
    async (args, extra) =>
      runTool('falco_get_version', deps.logger, async () => {
        const ref = await resolveMonitor(deps, args);
        const all = await deps.fleet.listPods(ref.namespace, ref.monitor, extra.signal);
        const pods = all.filter((p) => p.ready && (args.node === undefined || p.node === args.node));
        if (pods.length === 0) {
          throw new FalconerError(`Monitor ${ref.namespace}/${ref.monitor} has no Ready Falco pod${args.node === undefined ? '' : ` on node ${args.node}`}.`);
        }
        const outcomes = await forEachPod(pods, deps.limits.fleetConcurrency, async (pod) => {
          const r = await deps.fleet.exec(pod, versionArgv(), { timeoutMs: timeoutMs(deps, args), signal: extra.signal });
          if (r.exitCode !== 0) throw new FalconerError(falcoError(r.stderr) ?? `falco --version exited with ${r.exitCode}`);
          return parseFalcoVersion(r.stdout);
        });
        const answers = outcomes.flatMap((o) => (o.value === undefined ? [] : [{ version: o.value, pod: podRef(o.pod) }]));
        const failures = outcomes.flatMap((o) => (o.error === undefined ? [] : [{ ...podRef(o.pod), error: o.error }]));
        const versions = groupByVersion(answers);
        const report = await readNodeReport(deps, ref).catch(() => undefined);
        const reportedOnMetrics =
          report?.rulesLoaded === undefined ? undefined : { falcoVersions: report.falcoVersions, ...(report.loaded !== undefined ? { loaded: report.loaded } : {}), ...(report.source !== undefined ? { source: report.source } : {}) };
        const out = { ...ref, podsQueried: pods.length, consistent: versions.length <= 1, versions, failures, ...(reportedOnMetrics !== undefined ? { reportedOnMetrics } : {}) };
        const lines = versions.map((v) => `Falco ${v.falco} (libs ${v.libs}, engine ${v.engine ?? '?'}) on ${v.pods.length} pod(s)`);
        if (reportedOnMetrics !== undefined) lines.push(`on /metrics: ${reportedOnMetrics.falcoVersions.map((v) => `Falco ${v.version} on ${v.nodes} node(s)`).join(', ') || 'no versions'}, ${reportedOnMetrics.loaded ?? '?'} loaded the intended bundle`);
        if (failures.length > 0) lines.push(`${failures.length} pod(s) did not answer: ${failures.map((f) => f.pod).join(', ')}`);
        if (versions.length === 0 && outcomes.every((o) => o.cause instanceof SimulatedNodeError)) {
          throw new SimulatedNodeError(
            `No Falco runs in the ${pods.length} pod(s) of monitor ${ref.namespace}/${ref.monitor}: their nodes are simulated (kwok), where containers do not run. ` +
              'Ask a cluster with real nodes, or the local cluster with its real node (falconer cluster up --real-node).',
          );
        }
        if (versions.length === 0) throw new FalconerError(`No Falco pod answered: ${failures.map((f) => `${f.pod}: ${f.error}`).join('; ')}`);
        return okResult(`${ref.namespace}/${ref.monitor}: ${lines.join('; ')}`, out);
      }),
  );
  return { name, tool };
}
