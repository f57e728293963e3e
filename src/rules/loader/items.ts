import type { Context } from './context.ts';

/**
 * What the reader collects, shaped like Falco's rule_loader infos. `index` is the position of the
 * first definition; `visibility` the position of the latest change, which decides what a macro
 * or list may reference (only what was defined before it).
 */
export interface ListInfo {
  ctx: Context;
  name: string;
  items: string[];
  index: number;
  visibility: number;
}

export interface MacroInfo {
  ctx: Context;
  condCtx: Context;
  name: string;
  cond: string;
  index: number;
  visibility: number;
}

/** Exception `fields`, `comps` and each of `values` can be a scalar or a (nested) list. */
export interface ExceptionEntry {
  isList: boolean;
  item: string;
  items: ExceptionEntry[];
}

export const isEntryValid = (e: ExceptionEntry): boolean =>
  e.isList ? e.items.length > 0 : e.item !== '';

export const emptyEntry = (): ExceptionEntry => ({ isList: false, item: '', items: [] });

export interface ExceptionInfo {
  ctx: Context;
  name: string;
  fields: ExceptionEntry;
  comps: ExceptionEntry;
  values: ExceptionEntry[];
}

export interface RuleInfo {
  ctx: Context;
  condCtx: Context;
  outputCtx: Context;
  index: number;
  visibility: number;
  unknownSource: boolean;
  name: string;
  cond: string;
  source: string;
  desc: string;
  output: string;
  tags: Set<string>;
  exceptions: ExceptionInfo[];
  /** 0 (Emergency) … 7 (Debug). */
  priority: number;
  capture: boolean;
  captureDuration: number;
  enabled: boolean;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
}

/** An `append`/`override` item: only the keys it carries are set. */
export interface RuleUpdateInfo {
  ctx: Context;
  name: string;
  source: string;
  cond?: string;
  output?: string;
  desc?: string;
  tags?: Set<string>;
  exceptions?: ExceptionInfo[];
  priority?: number;
  capture?: boolean;
  captureDuration?: number;
  enabled?: boolean;
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
}

export const hasAnyValue = (u: RuleUpdateInfo): boolean =>
  u.cond !== undefined || u.output !== undefined || u.desc !== undefined || u.tags !== undefined ||
  u.exceptions !== undefined || u.priority !== undefined || u.enabled !== undefined ||
  u.capture !== undefined || u.captureDuration !== undefined || u.warnEvttypes !== undefined ||
  u.skipIfUnknownFilter !== undefined;

export interface PluginRequirement {
  name: string;
  version: string;
}

export const PRIORITY_NAMES = [
  'Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug',
] as const;

/** Case-insensitive, with `info` accepted for Informational (falco_common::parse_priority). */
export function parsePriority(value: string): number | undefined {
  const lower = value.toLowerCase();
  const index = PRIORITY_NAMES.findIndex((p) => p.toLowerCase() === lower);
  if (index >= 0) return index;
  return lower === 'info' ? 6 : undefined;
}
