import { MonitorConditionType as T } from '../../api/conditions-monitor.ts';
import { findCondition } from '../../api/conditions.ts';
import type { FalcoMonitor, MonitorStatus } from '../../api/monitor.ts';
import { API_GROUP_VERSION, MONITOR_KIND } from '../../api/names.ts';
import type { ReconcilerDeps } from '../deps.ts';
import type { ReconcileContext } from '../runtime/controller.ts';

/**
 * Events for what a user would want to see in `kubectl describe`: a new bundle rolling out, a
 * verification starting, rule sets being rejected, suspension, readiness reached or lost.
 * Emitted only when the status actually changed, and only for transitions.
 */
export async function recordMonitorDecisions(deps: ReconcilerDeps, monitor: FalcoMonitor, status: MonitorStatus, ctx: ReconcileContext): Promise<void> {
  const before = monitor.status;
  const regarding = {
    apiVersion: API_GROUP_VERSION,
    kind: MONITOR_KIND,
    metadata: { name: monitor.metadata.name, uid: monitor.metadata.uid ?? '', namespace: monitor.metadata.namespace ?? '' },
  };
  if (status.bundleHash !== undefined && status.bundleHash !== before?.bundleHash) {
    const names = (status.appliedRuleSets ?? []).map((r) => r.name).join(', ') || 'none';
    ctx.logger.info('Rolling out verified bundle', { bundleHash: status.bundleHash });
    await deps.clients.events.record(regarding, {
      type: 'Normal',
      reason: 'RollingOut',
      action: 'Rollout',
      note: `Rolling out verified bundle ${status.bundleHash.slice(7, 19)} with rule sets: ${names}.`,
    });
  }
  for (const type of [T.Ready, T.Progressing, T.Degraded]) {
    const next = findCondition(status.conditions, type);
    const prev = findCondition(before?.conditions, type);
    if (next === undefined || (prev?.status === next.status && prev.reason === next.reason)) continue;
    const warning = (type === T.Degraded && next.status === 'True') || (type === T.Ready && next.status === 'False' && prev?.status === 'True');
    await deps.clients.events.record(regarding, { type: warning ? 'Warning' : 'Normal', reason: next.reason, action: type, note: next.message });
  }
}
