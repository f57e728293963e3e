import * as z from 'zod';
import { monitorSpecSchema } from '../api/monitor.ts';
import { API_GROUP_VERSION, MONITOR_KIND } from '../api/names.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { FalcoPriority } from '../falco/priority.ts';
import type { FalconerObject } from './deps.ts';

export interface StartArgs {
  namespace: string;
  name: string;
  nodeSelector?: Record<string, string> | undefined;
  ruleSets?: string[] | undefined;
  ruleSetSelector?: Record<string, string> | undefined;
  minimumPriority?: FalcoPriority | undefined;
}

/** "warning" → "Warning": the CRD spells priorities as Falco prints them. */
function crdPriority(p: FalcoPriority): string {
  return p.charAt(0).toUpperCase() + p.slice(1);
}

/**
 * The FalcoMonitor that falco_start_monitoring applies. Only the fields the caller chose (and
 * suspend: false, which is what "start" means) go into the apply: defaults stay with the CRD,
 * so Falconer's field manager never claims fields it did not set.
 */
export function desiredMonitor(args: StartArgs): FalconerObject {
  const spec: Record<string, unknown> = { suspend: false };
  if (args.nodeSelector !== undefined) spec['nodeSelector'] = args.nodeSelector;
  if (args.minimumPriority !== undefined) spec['minimumPriority'] = crdPriority(args.minimumPriority);
  if (args.ruleSets !== undefined || args.ruleSetSelector !== undefined) {
    spec['ruleSets'] = {
      ...(args.ruleSets === undefined ? {} : { names: args.ruleSets }),
      ...(args.ruleSetSelector === undefined ? {} : { selector: { matchLabels: args.ruleSetSelector } }),
    };
  }
  const checked = monitorSpecSchema.safeParse(spec);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new InvalidInputError(`The monitor spec is not valid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`, {
      field: String(issue?.path[0] ?? 'spec'),
    });
  }
  return {
    apiVersion: API_GROUP_VERSION,
    kind: MONITOR_KIND,
    metadata: { name: args.name, namespace: args.namespace },
    spec,
  };
}

export const conditionSummarySchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export type ConditionSummary = z.infer<typeof conditionSummarySchema>;

export function conditionsOf(obj: FalconerObject | undefined): ConditionSummary[] {
  return (obj?.status?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    ...(c.reason === undefined ? {} : { reason: c.reason }),
    ...(c.message === undefined ? {} : { message: c.message.slice(0, 500) }),
  }));
}

/** Ready=True for the generation we applied (not a stale status from before the change). */
export function isReadyFor(obj: FalconerObject | undefined, generation: number | undefined): boolean {
  const ready = obj?.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return false;
  const observed = ready.observedGeneration ?? (obj?.status?.['observedGeneration'] as number | undefined);
  return generation === undefined || observed === undefined || observed >= generation;
}
