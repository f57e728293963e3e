import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { falcoPrioritySchema } from '../../falco/priority.ts';
import type { McpDeps, FalconerObject } from '../deps.ts';
import { conditionSummarySchema, conditionsOf, desiredMonitor, isReadyFor } from '../monitor-spec.ts';
import type { StartArgs } from '../monitor-spec.ts';
import { okResult, runTool } from '../results.ts';
import { namespaceField, objectNameField } from '../target.ts';
import type { ToolExtra } from '../target.ts';
import { toolInput } from '../tool-input.ts';
import { describeChanges, specChangeSchema, specChanges } from '../spec-changes.ts';
import type { NamedTool } from '../tool-list.ts';

const labelMap = z.record(z.string().max(317), z.string().max(63)).refine((m) => Object.keys(m).length <= 32, 'at most 32 labels');

export const startMonitoringInput = {
  namespace: namespaceField.optional().describe('Namespace for the FalcoMonitor; the server default if omitted.'),
  name: objectNameField.max(63).describe('FalcoMonitor name (a DNS label).'),
  nodeSelector: labelMap.optional().describe('Run Falco only on nodes with these labels.'),
  ruleSets: z.array(objectNameField).max(64).optional().describe('Names of FalcoRuleSets in the namespace to load.'),
  ruleSetSelector: labelMap.optional().describe('Or load the FalcoRuleSets with these labels ({} = all).'),
  minimumPriority: falcoPrioritySchema.optional().describe('Least severe priority of the rules that run.'),
  waitSeconds: z.number().int().min(0).max(55).default(45).describe('How long to wait for Ready (0: do not wait).'),
  takeOwnership: z.boolean().default(false).describe('Override fields another field manager set (server-side apply force).'),
  dryRun: z
    .boolean()
    .default(false)
    .describe('Only preview: the API server validates the apply (server-side dry run) and the result lists what would change; nothing is stored.'),
};

export const startMonitoringOutput = z.object({
  namespace: z.string(),
  name: z.string(),
  outcome: z.enum(['Ready', 'NotReadyYet', 'Applied', 'Declined', 'Preview']),
  action: z.enum(['created', 'updated', 'none']),
  generation: z.number().int().optional(),
  readyNodes: z.number().int().optional(),
  desiredNodes: z.number().int().optional(),
  conditions: z.array(conditionSummarySchema),
  changes: z.array(specChangeSchema).describe('What the apply changes (or would change, in a preview) in the spec, by the server-side dry run.'),
});

type Output = z.infer<typeof startMonitoringOutput>;

/** Asks the user through elicitation when the client can; otherwise the client's own approval applies. */
async function confirmed(server: McpServer, text: string): Promise<boolean> {
  if (server.server.getClientCapabilities()?.elicitation === undefined) return true;
  const answer = await server.server.elicitInput({
    mode: 'form',
    message: text,
    requestedSchema: {
      type: 'object',
      properties: { apply: { type: 'boolean', title: 'Apply this FalcoMonitor', default: false } },
      required: ['apply'],
    },
  });
  return answer.action === 'accept' && answer.content?.['apply'] === true;
}

function nodeCounts(obj: FalconerObject | undefined): Pick<Output, 'readyNodes' | 'desiredNodes'> {
  const s = obj?.status ?? {};
  const ready = s['readyNodes'];
  const desired = s['desiredNodes'];
  return { ...(typeof ready === 'number' ? { readyNodes: ready } : {}), ...(typeof desired === 'number' ? { desiredNodes: desired } : {}) };
}

/** Polls the monitor until Ready for `generation`, reporting progress each second. */
async function waitForReady(
  deps: McpDeps,
  key: { namespace: string; name: string },
  generation: number | undefined,
  seconds: number,
  extra: ToolExtra,
): Promise<FalconerObject | undefined> {
  const token = extra._meta?.progressToken;
  let latest: FalconerObject | undefined;
  for (let elapsed = 0; elapsed <= seconds; elapsed++) {
    latest = await deps.objects.getMonitor(key.namespace, key.name);
    if (isReadyFor(latest, generation)) return latest;
    if (token !== undefined) {
      const ready = latest?.status?.conditions?.find((c) => c.type === 'Ready');
      const counts = nodeCounts(latest);
      await extra.sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: elapsed + 1,
          total: seconds + 1,
          message: `Waiting for Ready: ${ready?.reason ?? 'no status yet'} (${counts.readyNodes ?? 0}/${counts.desiredNodes ?? '?'} nodes)`,
        },
      });
    }
    if (elapsed < seconds) await sleep(1000, undefined, { signal: extra.signal });
  }
  return latest;
}

export function registerStartMonitoring(server: McpServer, deps: McpDeps): NamedTool {
  const name = 'falco_start_monitoring';
  const tool = server.registerTool(
    name,
    {
      title: 'Start (or resume) Falco monitoring',
      description:
        'Creates or updates a FalcoMonitor by server-side apply (field manager "falconer") from simple arguments: ' +
        'name, namespace, node selector, FalcoRuleSets by name or label, minimum priority; sets suspend=false, so it ' +
        'also resumes a suspended monitor. Every call first asks the API server for a server-side dry run and ' +
        'reports the spec changes; with dryRun: true it stops there (a preview, nothing stored). Otherwise it asks ' +
        'the user to confirm those changes when the client supports elicitation, applies, and waits for Ready, ' +
        'sending progress notifications. Writes to the cluster; absent in read-only mode.',
      inputSchema: toolInput(startMonitoringInput),
      outputSchema: startMonitoringOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      runTool('falco_start_monitoring', deps.logger, async () => {
        const namespace = args.namespace ?? deps.defaults.namespace;
        const startArgs: StartArgs = { ...args, namespace };
        const desired = desiredMonitor(startArgs);
        const before = await deps.objects.getMonitor(namespace, args.name);
        const base = { namespace, name: args.name };
        // The API server's own answer to the apply, stored nowhere: its defaults, its CEL checks and
        // other managers' fields included, so the preview is what the apply would really do.
        const preview = await deps.objects.applyMonitor(desired, args.takeOwnership, true);
        const changes = specChanges(before?.spec, preview.spec);
        const verb = before === undefined ? 'Create' : 'Update';
        if (args.dryRun) {
          const out: Output = { ...base, outcome: 'Preview', action: 'none', conditions: conditionsOf(before), changes };
          return okResult(`Preview (nothing stored): ${verb.toLowerCase()} FalcoMonitor ${namespace}/${args.name}.\n${describeChanges(changes)}`, out);
        }
        const summary = `${verb} FalcoMonitor ${namespace}/${args.name}? Changes:\n${describeChanges(changes)}`;
        if (!(await confirmed(server, summary))) {
          const declined: Output = { ...base, outcome: 'Declined', action: 'none', conditions: conditionsOf(before), changes };
          return okResult('The user declined; nothing was changed.', declined);
        }
        const applied = await deps.objects.applyMonitor(desired, args.takeOwnership);
        const generation = applied.metadata?.generation;
        const action = before === undefined ? 'created' : 'updated';
        const final = args.waitSeconds === 0 ? applied : await waitForReady(deps, base, generation, args.waitSeconds, extra);
        const ready = isReadyFor(final, generation);
        const out: Output = {
          ...base,
          outcome: args.waitSeconds === 0 ? 'Applied' : ready ? 'Ready' : 'NotReadyYet',
          action,
          ...(generation === undefined ? {} : { generation }),
          ...nodeCounts(final),
          conditions: conditionsOf(final),
          changes,
        };
        const why = out.conditions.map((c) => `${c.type}=${c.status}${c.reason === undefined ? '' : ` (${c.reason})`}`).join(', ');
        return okResult(`FalcoMonitor ${namespace}/${args.name} ${action}; ${out.outcome}. ${why}`, out);
      }),
  );
  return { name, tool };
}
