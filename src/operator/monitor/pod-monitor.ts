import { APPLIED_HASH_ANNOTATION, applyOwned, withOwnerAndHash } from '../../kube/apply.ts';
import { describeError } from '../../core/errors.ts';
import type { KubeRest } from '../../kube/rest.ts';
import { CachedDiscovery, servesResource } from '../../kube/discovery.ts';
import { POD_MONITOR_API_VERSION, POD_MONITOR_KIND, POD_MONITOR_PLURAL, desiredPodMonitor, podMonitorName } from '../builders/pod-monitor.ts';
import type { ReconcileContext } from '../runtime/controller.ts';
import { deleteChild } from './children.ts';
import type { MonitorScope } from './children.ts';

/**
 * PodMonitors, when the Prometheus Operator's CRD is installed. They are another operator's
 * objects, so Falconer does not watch them: it applies one when it changes and asserts it again
 * every `reassertMs` (which also heals a hand-made deletion), and remembers what it last did.
 */
export interface PodMonitorSupport {
  /** Whether the cluster serves monitoring.coreos.com/v1 podmonitors (cached discovery). */
  available(): Promise<boolean>;
  reassertMs: number;
  /** Per monitor (namespace/name): the applied-hash last applied ("absent" once deleted), and when; a failed try counts, so it is retried after reassertMs. */
  last: Map<string, { hash: string; at: number }>;
}

export const POD_MONITOR_REASSERT_MS = 600_000;

/** Applies, or deletes, the monitor's PodMonitor; a failure is logged and retried later, never blocking the monitor. */
export async function ensurePodMonitor(s: MonitorScope, ctx: ReconcileContext): Promise<void> {
  const support = s.deps.podMonitors;
  if (support === undefined) return;
  const key = `${s.namespace}/${s.name}`;
  if (!(await support.available())) {
    support.last.delete(key);
    return;
  }
  const wanted = !s.monitor.spec.suspend && s.monitor.spec.metrics.podMonitor.enabled;
  const desired = wanted ? desiredPodMonitor(s.name, s.namespace, s.monitor.spec) : undefined;
  const hash = desired === undefined ? 'absent' : (withOwnerAndHash(s.owner, desired).metadata?.annotations?.[APPLIED_HASH_ANNOTATION] ?? '');
  const now = s.deps.clock().getTime();
  const last = support.last.get(key);
  if (last?.hash === hash && now - last.at < support.reassertMs) return;
  // Recorded before the call: a failure is retried after reassertMs, not on every reconcile.
  support.last.set(key, { hash, at: now });
  try {
    if (desired !== undefined) await applyOwned(s.deps.clients.rest, s.owner, desired, undefined);
    else await deleteChild(s, { metadata: { name: podMonitorName(s.name) } }, POD_MONITOR_API_VERSION, POD_MONITOR_KIND);
  } catch (err) {
    ctx.logger.warn(`Could not ${desired === undefined ? 'delete' : 'apply'} the PodMonitor of this monitor; retrying in ${support.reassertMs / 1000} s`, { error: describeError(err) });
  }
}

export function forgetPodMonitor(support: PodMonitorSupport | undefined, namespace: string, name: string): void {
  support?.last.delete(`${namespace}/${name}`);
}

/** How long a discovery answer (is the PodMonitor CRD installed?) is trusted. */
const DISCOVERY_TTL_MS = 60_000;

export function podMonitorSupport(rest: KubeRest, reassertMs = POD_MONITOR_REASSERT_MS): PodMonitorSupport {
  const discovery = new CachedDiscovery(() => servesResource(rest, POD_MONITOR_API_VERSION, POD_MONITOR_PLURAL), DISCOVERY_TTL_MS);
  return { available: () => discovery.available(), reassertMs, last: new Map() };
}
