/**
 * The condition shape both kinds report, following metav1.Condition, and the one helper that
 * sets a condition. `lastTransitionTime` moves only when `status` changes, so a settled object
 * is not rewritten on every reconcile (and Argo CD sees no churn).
 */
import * as z from 'zod';
import { listMap } from './openapi/meta.ts';

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

/** Bounded below metav1.Condition's 32768 so a status with every condition stays small. */
export const MAX_CONDITION_MESSAGE = 4096;

export const conditionSchema = z.object({
  type: z
    .string()
    .min(1)
    .max(316)
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/)
    .describe('Type of the condition, in PascalCase, e.g. Ready.'),
  status: z.enum(CONDITION_STATUSES).describe('Status of the condition: True, False or Unknown.'),
  reason: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
    .describe('Machine-readable, PascalCase reason for the last transition, from the catalogue of the kind.'),
  message: z.string().max(MAX_CONDITION_MESSAGE).describe('Human-readable explanation, a full sentence.'),
  lastTransitionTime: z.iso.datetime().describe('When the status last changed (RFC 3339).'),
  observedGeneration: z
    .int()
    .min(0)
    .optional()
    .describe('metadata.generation of the object the condition was computed from.'),
});
export type Condition = z.infer<typeof conditionSchema>;

export const conditionsSchema = listMap(z.array(conditionSchema.describe('One condition.')).max(16), ['type']).describe(
  'Current state of the object as conditions, one per type.',
);

/** What a reconciler decides; the helper adds the bookkeeping fields. */
export interface ConditionUpdate {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

export interface ConditionStamp {
  /** metadata.generation of the object being reconciled. */
  generation: number;
  /** The reconcile's clock, injected so results are reproducible. */
  now: Date;
}

/** RFC 3339 at second precision, as metav1.Time serialises. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Returns `conditions` with `update` applied: other types and their order are untouched;
 * `lastTransitionTime` is kept when the status is unchanged; `observedGeneration` is stamped.
 * Pure: the input array is not modified.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  update: ConditionUpdate,
  stamp: ConditionStamp,
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const previous = index >= 0 ? list[index] : undefined;
  const next: Condition = {
    type: update.type,
    status: update.status,
    reason: update.reason,
    message: update.message.slice(0, MAX_CONDITION_MESSAGE),
    lastTransitionTime:
      previous !== undefined && previous.status === update.status ? previous.lastTransitionTime : formatTime(stamp.now),
    observedGeneration: stamp.generation,
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}

/** The condition of a type, if present. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
