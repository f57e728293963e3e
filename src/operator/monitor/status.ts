import { MonitorConditionType as T, MonitorReason as R } from '../../api/conditions-monitor.ts';
import { setCondition } from '../../api/conditions.ts';
import type { ConditionUpdate } from '../../api/conditions.ts';
import type { FalcoMonitor, MonitorStatus } from '../../api/monitor.ts';
import type { Bundle } from '../builders/bundle.ts';
import type { LoadSummary } from '../loaded/summary.ts';
import { falcoDegraded, loadFields, rulesLoadedCondition } from './load-status.ts';
import type { CrashingPod, RolloutState, TargetDecision } from '../policy/rollout.ts';
import type { TemplateDecision } from '../policy/template.ts';
import type { BundlePlan } from './plan.ts';

export interface MonitorObservation {
  monitor: FalcoMonitor;
  image: string;
  plan: BundlePlan;
  decision: TargetDecision;
  /** The bundle the DaemonSet now carries (after this reconcile's apply). */
  deployed: Bundle | undefined;
  rollout: RolloutState | undefined;
  crashing: CrashingPod[];
  /** The last good pod template and the one rolled back from, if any. */
  template?: Pick<TemplateDecision, 'lastGood' | 'failed'> | undefined;
  /** Why Falco refused the monitor's own configuration, when it did (the nodes keep the last good one). */
  configRejected?: string | undefined;
  falcoVersion: string | undefined;
  /** The Falco release the static check modelled for this monitor's image, or 'none'. */
  modelledFalcoVersion?: string | undefined;
  /** What each node's Falco reports on /metrics; undefined when the operator does not read it. */
  load?: LoadSummary | undefined;
  now: Date;
}

/** The whole status of a monitor, computed without I/O. */
export function computeMonitorStatus(o: MonitorObservation): MonitorStatus {
  const stamp = { generation: o.monitor.metadata.generation ?? 0, now: o.now };
  let conditions = o.monitor.status?.conditions ?? [];
  conditions = setCondition(conditions, readyCondition(o), stamp);
  conditions = setCondition(conditions, progressingCondition(o), stamp);
  conditions = setCondition(conditions, degradedCondition(o), stamp);
  const rulesLoaded = rulesLoadedOf(o);
  if (rulesLoaded !== undefined) conditions = setCondition(conditions, rulesLoaded, stamp);
  const applied = (o.deployed?.files ?? []).map((f) => ({ name: f.ruleSet, contentHash: f.contentHash }));
  const status: MonitorStatus = {
    observedGeneration: stamp.generation,
    conditions,
    image: o.image,
    appliedRuleSets: applied,
    rejectedRuleSets: o.plan.rejected,
    appliedRuleSetCount: applied.length,
    rejectedRuleSetCount: o.plan.rejected.length,
  };
  if (o.deployed !== undefined) status.bundleHash = o.deployed.hash;
  if (o.template?.lastGood !== undefined) status.lastGoodTemplate = o.template.lastGood;
  if (o.template?.failed !== undefined) status.failedTemplate = o.template.failed;
  if (o.falcoVersion !== undefined) status.falcoVersion = o.falcoVersion;
  if (o.modelledFalcoVersion !== undefined) status.modelledFalcoVersion = o.modelledFalcoVersion;
  if (o.rollout !== undefined) {
    status.desiredNodes = o.rollout.desired;
    status.readyNodes = o.rollout.ready;
    status.updatedNodes = o.rollout.updated;
    status.availableNodes = o.rollout.available;
  }
  if (o.load !== undefined && o.deployed !== undefined && !o.monitor.spec.suspend) Object.assign(status, loadFields(o.load, o.rollout?.desired ?? o.load.nodes.length));
  return status;
}

function rulesLoadedOf(o: MonitorObservation): ConditionUpdate | undefined {
  if (o.load === undefined) return undefined;
  const type = T.RulesLoaded;
  if (o.monitor.spec.suspend) return { type, status: 'False', reason: R.Suspended, message: 'The monitor is suspended: no Falco runs its rules.' };
  if (o.deployed === undefined) return { type, status: 'False', reason: R.NotDeployed, message: 'No verified bundle is deployed yet.' };
  return rulesLoadedCondition({ load: o.load, desired: o.rollout?.desired ?? o.load.nodes.length, bundleHash: o.deployed.hash });
}

function readyCondition(o: MonitorObservation): ConditionUpdate {
  const type = T.Ready;
  if (o.monitor.spec.suspend) return { type, status: 'False', reason: R.Suspended, message: 'The monitor is suspended: its Falco DaemonSet is removed.' };
  const r = o.rollout;
  if (r === undefined || o.deployed === undefined) {
    return { type, status: 'False', reason: R.Pending, message: 'Falco is not deployed yet: waiting for a first verified bundle.' };
  }
  if (r.desired === 0) return { type, status: 'False', reason: R.NoNodes, message: 'No node matches the monitor, so Falco runs nowhere.' };
  if (r.complete) {
    return { type, status: 'True', reason: R.AllNodesReady, message: `Falco runs the current bundle and is ready on all ${r.desired} nodes.` };
  }
  return {
    type,
    status: 'False',
    reason: R.NodesNotReady,
    message: `Falco is ready on ${r.ready} of ${r.desired} nodes; ${r.updated} run the current pod template.`,
  };
}

function progressingCondition(o: MonitorObservation): ConditionUpdate {
  const type = T.Progressing;
  if (o.monitor.spec.suspend) return { type, status: 'False', reason: R.Suspended, message: 'The monitor is suspended.' };
  if (o.decision.waiting === 'Verification') {
    return { type, status: 'True', reason: R.WaitingForVerification, message: `Falco is verifying bundle ${short(o.plan.candidate.hash)} before it reaches any node.` };
  }
  if (o.rollout !== undefined && !o.rollout.complete && o.rollout.desired > 0) {
    return { type, status: 'True', reason: R.RollingOut, message: `Rolling out bundle ${short(o.deployed?.hash)}: ${o.rollout.updated} of ${o.rollout.desired} nodes updated.` };
  }
  return { type, status: 'False', reason: R.RolloutComplete, message: 'No rollout is in progress.' };
}

function degradedCondition(o: MonitorObservation): ConditionUpdate {
  const type = T.Degraded;
  const failed = o.template?.failed;
  if (failed !== undefined && !o.monitor.spec.suspend) {
    return {
      type,
      status: 'True',
      reason: R.RolledBack,
      message: `The pod template of generation ${failed.generation} crash-looped (${failed.pod}: ${failed.message.replace(/\.$/, '')}), so the nodes are back on the last good template. Fix the spec to try again.`,
    };
  }
  const rejected = o.plan.rejected.filter((r) => r.reason !== 'Disabled');
  if (rejected.length > 0) {
    const names = rejected.map((r) => `${r.name} (${r.reason})`).join(', ');
    return { type, status: 'True', reason: R.RuleSetsRejected, message: `Rule sets left out of the bundle: ${names}. The nodes keep running the last verified rules.` };
  }
  if (o.configRejected !== undefined) {
    return { type, status: 'True', reason: R.ConfigRejected, message: `${o.configRejected.replace(/\.$/, '')}. The nodes keep running the last good configuration.` };
  }
  if (o.crashing.length > 0) {
    const first = o.crashing.find((c) => c.lastError !== undefined);
    const why = first === undefined ? '' : ` Falco's last error in ${first.name}: ${first.lastError}`;
    const names = o.crashing.slice(0, 5).map((c) => c.name).join(', ');
    return { type, status: 'True', reason: R.PodsCrashing, message: `Falco pods are crash-looping: ${names}.${why}` };
  }
  const falco = o.load !== undefined && !o.monitor.spec.suspend ? falcoDegraded(o.load) : undefined;
  if (falco !== undefined) return falco;
  if (o.decision.waiting === 'NoRules') {
    return { type, status: 'True', reason: R.InvalidSpec, message: 'The monitor selects no loadable rule set and excludes the default rules, so Falco has no rules to run.' };
  }
  return { type, status: 'False', reason: R.AsExpected, message: 'Nothing needs attention.' };
}

function short(hash: string | undefined): string {
  return (hash ?? '').replace(/^sha256:/, '').slice(0, 12);
}
