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
  await recordDrift(deps, regarding, before, status, ctx);
  for (const type of [T.Ready, T.Progressing, T.Degraded, T.RulesLoaded]) {
    const next = findCondition(status.conditions, type);
    const prev = findCondition(before?.conditions, type);
    if (next === undefined || (prev?.status === next.status && prev.reason === next.reason)) continue;
    const warning =
      (type === T.Degraded && next.status === 'True') ||
      (type === T.Ready && next.status === 'False' && prev?.status === 'True') ||
      (type === T.RulesLoaded && next.reason === 'NodesDrifted');
    await deps.clients.events.record(regarding, { type: warning ? 'Warning' : 'Normal', reason: next.reason, action: type, note: next.message });
  }
}

type Regarding = Parameters<ReconcilerDeps['clients']['events']['record']>[0];

/** A Warning per node that newly runs other files than its pod template names. */
async function recordDrift(deps: ReconcilerDeps, regarding: Regarding, before: MonitorStatus | undefined, status: MonitorStatus, ctx: ReconcileContext): Promise<void> {
  const drifted = (s: MonitorStatus | undefined): Map<string, string> =>
    new Map((s?.notLoadedNodes ?? []).filter((n) => n.state === 'Drifted').map((n) => [n.node, n.message ?? '']));
  const was = drifted(before);
  for (const [node, message] of drifted(status)) {
    if (was.has(node)) continue;
    ctx.logger.info('Falco on a node drifted from its pod template', { node });
    await deps.clients.events.record(regarding, { type: 'Warning', reason: 'NodeDrifted', action: 'CheckLoaded', note: `Falco on node ${node} does not run the intended rules and config. ${message}`.slice(0, 1024) });
  }
}
