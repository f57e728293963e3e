import type { FalcoAlert } from '../falco/alerts.ts';
import { isAtLeast } from '../falco/priority.ts';
import type { FalcoPriority } from '../falco/priority.ts';

/** An alert with the pod it was read from. */
export interface SourcedAlert extends FalcoAlert {
  pod: string;
  node?: string;
  /** k8s.ns.name from the alert's output fields, when Falco filled it in. */
  k8sNamespace?: string;
}

export interface AlertFilters {
  minPriority?: FalcoPriority | undefined;
  rule?: string | undefined;
  tag?: string | undefined;
  k8sNamespace?: string | undefined;
  node?: string | undefined;
  /** Epoch ms, inclusive bounds of the window. */
  sinceMs: number;
  untilMs: number;
}

export function withSource(alert: FalcoAlert, pod: string, node: string | undefined): SourcedAlert {
  const ns = alert.fields['k8s.ns.name'];
  return {
    ...alert,
    pod,
    ...(node === undefined ? {} : { node }),
    ...(typeof ns === 'string' && ns !== '' && ns !== '<NA>' ? { k8sNamespace: ns } : {}),
  };
}

export function matches(a: SourcedAlert, f: AlertFilters): boolean {
  const t = Date.parse(a.time);
  return (
    t >= f.sinceMs &&
    t <= f.untilMs &&
    (f.minPriority === undefined || isAtLeast(a.priority, f.minPriority)) &&
    (f.rule === undefined || a.rule === f.rule) &&
    (f.tag === undefined || a.tags.includes(f.tag)) &&
    (f.k8sNamespace === undefined || a.k8sNamespace === f.k8sNamespace) &&
    (f.node === undefined || a.node === f.node)
  );
}

/** Newest first; ties by pod then rule, so pages are stable between calls. */
export function newestFirst(a: SourcedAlert, b: SourcedAlert): number {
  return b.time.localeCompare(a.time) || Date.parse(b.time) - Date.parse(a.time) || a.pod.localeCompare(b.pod) || a.rule.localeCompare(b.rule);
}

export interface Count<K extends string> {
  key: K;
  count: number;
}

export function countBy<K extends string>(alerts: readonly SourcedAlert[], key: (a: SourcedAlert) => K): Array<Count<K>> {
  const counts = new Map<K, number>();
  for (const a of alerts) counts.set(key(a), (counts.get(key(a)) ?? 0) + 1);
  return [...counts.entries()].map(([k, count]) => ({ key: k, count })).sort((x, y) => y.count - x.count || x.key.localeCompare(y.key));
}
