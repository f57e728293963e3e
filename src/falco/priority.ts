import * as z from 'zod';

/**
 * Falco's priorities, most severe first. Falco prints them capitalised in `-L` and in alerts
 * ("Warning", "Informational") and accepts lower case in rules files ("warning", "info").
 */
export const FALCO_PRIORITIES = [
  'emergency',
  'alert',
  'critical',
  'error',
  'warning',
  'notice',
  'informational',
  'debug',
] as const;

export type FalcoPriority = (typeof FALCO_PRIORITIES)[number];

export const falcoPrioritySchema = z.enum(FALCO_PRIORITIES);

/** Normalises Falco's spellings ("Warning", "INFO", "info") to one name; undefined if unknown. */
export function normalizePriority(value: string): FalcoPriority | undefined {
  const lower = value.trim().toLowerCase();
  if (lower === 'info') return 'informational';
  return FALCO_PRIORITIES.find((p) => p === lower);
}

/** Rank where 0 is the most severe, so "at least warning" is `rank <= rank('warning')`. */
export function priorityRank(priority: FalcoPriority): number {
  return FALCO_PRIORITIES.indexOf(priority);
}

/** True when `value` (any Falco spelling) is as severe as `minimum` or more. Unknown → false. */
export function isAtLeast(value: string, minimum: FalcoPriority): boolean {
  const p = normalizePriority(value);
  return p !== undefined && priorityRank(p) <= priorityRank(minimum);
}
