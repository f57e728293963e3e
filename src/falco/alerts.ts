import * as z from 'zod';
import { normalizePriority } from './priority.ts';
import type { FalcoPriority } from './priority.ts';

/**
 * Alerts as Falco prints them with `json_output: true`: one JSON object per line among its
 * ordinary log lines. Everything in an alert can be chosen by whoever triggered it (command
 * lines, file names, container names), so every string is stripped of control characters and
 * cut to a fixed length here, before it can reach a model.
 */
const alertLineSchema = z.object({
  time: z.string(),
  rule: z.string(),
  priority: z.string(),
  output: z.string().default(''),
  source: z.string().default('syscall'),
  hostname: z.string().optional(),
  tags: z.array(z.string()).default([]),
  output_fields: z.record(z.string(), z.unknown()).default({}),
});

export type AlertFieldValue = string | number | boolean | null;

export interface FalcoAlert {
  time: string;
  rule: string;
  priority: FalcoPriority;
  source: string;
  tags: string[];
  hostname?: string;
  output: string;
  fields: Record<string, AlertFieldValue>;
  /** True when any string or the field list was cut. */
  truncated: boolean;
}

export const ALERT_LIMITS = { output: 600, field: 200, name: 200, fields: 40, tags: 20 } as const;
// C0/C1 control characters and ANSI escape sequences: a terminal or a model should see text only.
const ANSI = /\u001b\[[0-9;?]*[ -\/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Strips escapes and control characters, then cuts to `max` characters with a visible marker. */
export function sanitizeText(value: string, max: number): { text: string; cut: boolean } {
  const clean = value.replace(ANSI, '').replace(CONTROL, '').replace(/[\n\t]+/g, ' ');
  if (clean.length <= max) return { text: clean, cut: false };
  return { text: `${clean.slice(0, max)}…[truncated]`, cut: true };
}

function sanitizeFields(raw: Record<string, unknown>): { fields: Record<string, AlertFieldValue>; cut: boolean } {
  const fields: Record<string, AlertFieldValue> = {};
  let cut = false;
  const entries = Object.entries(raw);
  for (const [key, value] of entries.slice(0, ALERT_LIMITS.fields)) {
    const name = sanitizeText(key, ALERT_LIMITS.name);
    let v: AlertFieldValue;
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) v = value;
    else {
      const s = sanitizeText(typeof value === 'string' ? value : JSON.stringify(value), ALERT_LIMITS.field);
      cut ||= s.cut;
      v = s.text;
    }
    cut ||= name.cut;
    fields[name.text] = v;
  }
  return { fields, cut: cut || entries.length > ALERT_LIMITS.fields };
}

/** One log line → an alert, or undefined for Falco's ordinary log lines and anything malformed. */
export function parseAlertLine(line: string): FalcoAlert | undefined {
  const start = line.indexOf('{"');
  if (start < 0) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line.slice(start));
  } catch {
    return undefined;
  }
  const parsed = alertLineSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const a = parsed.data;
  const priority = normalizePriority(a.priority);
  if (priority === undefined || Number.isNaN(Date.parse(a.time))) return undefined;
  const rule = sanitizeText(a.rule, ALERT_LIMITS.name);
  const output = sanitizeText(a.output, ALERT_LIMITS.output);
  const { fields, cut } = sanitizeFields(a.output_fields);
  const tags = a.tags.slice(0, ALERT_LIMITS.tags).map((t) => sanitizeText(t, 64).text);
  const alert: FalcoAlert = {
    time: sanitizeText(a.time, 40).text,
    rule: rule.text,
    priority,
    source: sanitizeText(a.source, 64).text,
    tags,
    output: output.text,
    fields,
    truncated: rule.cut || output.cut || cut || a.tags.length > ALERT_LIMITS.tags,
  };
  if (a.hostname !== undefined) alert.hostname = sanitizeText(a.hostname, 253).text;
  return alert;
}

export function parseAlertLog(log: string): FalcoAlert[] {
  return log.split('\n').flatMap((l) => {
    const a = parseAlertLine(l);
    return a === undefined ? [] : [a];
  });
}
