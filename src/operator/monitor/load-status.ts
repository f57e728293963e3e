/**
 * The status fields and conditions that say what each node's Falco loaded, from a LoadSummary
 * (src/operator/loaded). Pure.
 */
import { MonitorConditionType as T, MonitorReason as R } from '../../api/conditions-monitor.ts';
import type { ConditionUpdate } from '../../api/conditions.ts';
import { MAX_NODE_ENTRIES, MAX_RULE_SET_ENTRIES } from '../../api/monitor.ts';
import type { MonitorStatus } from '../../api/monitor.ts';
import type { LoadSummary, NodeLoad } from '../loaded/summary.ts';
import { configSha } from '../loaded/summary.ts';
import { compareNames } from '../../core/compare.ts';

type LoadFields = Pick<MonitorStatus, 'loadedNodes' | 'loaded' | 'nodeReports' | 'notLoadedNodes' | 'notLoadedNodeCount' | 'falcoVersions' | 'eventDrops'>;

export function loadFields(load: LoadSummary, desired: number): LoadFields {
  const notLoaded = load.nodes.filter((n) => n.state !== 'Loaded');
  const versions = new Map<string, number>();
  for (const n of load.nodes) {
    const v = n.report?.version;
    if (v !== undefined) versions.set(v, (versions.get(v) ?? 0) + 1);
  }
  return {
    loadedNodes: load.loaded,
    loaded: `${load.loaded}/${desired}`,
    ...(load.source !== undefined ? { nodeReports: load.source } : {}),
    notLoadedNodes: notLoaded.slice(0, MAX_NODE_ENTRIES).map(nodeEntry),
    notLoadedNodeCount: notLoaded.length,
    falcoVersions: [...versions].sort(([a], [b]) => compareNames(a, b)).slice(0, 16).map(([version, nodes]) => ({ version, nodes })),
    eventDrops: load.drops,
  };
}

function nodeEntry(n: NodeLoad): NonNullable<MonitorStatus['notLoadedNodes']>[number] {
  const config = configSha(n.report);
  const files = [...(n.report?.rulesFiles ?? [])].map(([name, sha256]) => ({ name, sha256 })).sort((a, b) => compareNames(a.name, b.name));
  return {
    node: n.node,
    pod: n.pod,
    state: n.state === 'Loaded' ? 'Drifted' : n.state,
    ...(n.report?.version !== undefined ? { falcoVersion: n.report.version } : {}),
    ...(n.bundleHash !== undefined ? { bundleHash: n.bundleHash } : {}),
    ...(config !== undefined ? { configSha256: config } : {}),
    ...(n.report !== undefined ? { rulesFiles: files.slice(0, MAX_RULE_SET_ENTRIES + 1) } : {}),
    ...(n.message !== undefined ? { message: n.message } : {}),
  };
}

export interface LoadConditionInput {
  load: LoadSummary;
  desired: number;
  bundleHash: string;
}

export function rulesLoadedCondition(o: LoadConditionInput): ConditionUpdate {
  const type = T.RulesLoaded;
  const { load, desired } = o;
  const from = load.source === 'Simulated' ? ' These figures come from a test metrics responder on simulated nodes, not from a real Falco.' : '';
  const bundle = o.bundleHash.slice(7, 19);
  if (desired === 0) return { type, status: 'False', reason: R.NoNodes, message: 'No node matches the monitor, so no Falco loads the rules.' };
  if (load.loaded >= desired && load.nodes.every((n) => n.state === 'Loaded')) {
    return { type, status: 'True', reason: R.AllNodesLoaded, message: `Falco on all ${desired} nodes reports, by sha256, bundle ${bundle} and its falco.yaml as loaded.${from}` };
  }
  const drifted = load.nodes.filter((n) => n.state === 'Drifted');
  if (drifted.length > 0) {
    return { type, status: 'False', reason: R.NodesDrifted, message: `Falco on ${drifted.length} node(s) runs other files than its pod template names: ${names(drifted)}. ${load.loaded} of ${desired} nodes run bundle ${bundle}.${from}` };
  }
  const outdated = load.nodes.filter((n) => n.state === 'Outdated');
  if (outdated.length > 0) {
    return { type, status: 'False', reason: R.NodesOutdated, message: `${load.loaded} of ${desired} nodes run bundle ${bundle}; ${outdated.length} still run an earlier one (rollout under way): ${names(outdated)}.${from}` };
  }
  const podless = desired - load.nodes.length;
  if (podless > 0) {
    return { type, status: 'False', reason: R.NodesOutdated, message: `${load.loaded} of ${desired} nodes run bundle ${bundle}; ${podless} desired node(s) have no Falco pod yet.${from}` };
  }
  return { type, status: 'Unknown', reason: R.NoMetrics, message: `${load.loaded} of ${desired} nodes report bundle ${bundle}; the others gave no reading of Falco's /metrics yet: ${names(load.nodes.filter((n) => n.state !== 'Loaded'))}.${from}` };
}

/** Degraded for Falco itself: dropped events, or a ready Falco that stopped answering on /metrics. */
export function falcoDegraded(load: LoadSummary): ConditionUpdate | undefined {
  const type = T.Degraded;
  const dropping = load.nodes.filter((n) => n.drops > 0);
  if (dropping.length > 0) {
    return { type, status: 'True', reason: R.EventsDropped, message: `Falco recently dropped ${load.drops} kernel events on ${names(dropping)}: alerts may have been missed.` };
  }
  const missing = load.nodes.filter((n) => n.missing);
  if (missing.length > 0) {
    return { type, status: 'True', reason: R.MetricsMissing, message: `Falco is ready but gives no metrics on ${names(missing)}: ${missing[0]?.message ?? ''}` };
  }
  return undefined;
}

function names(nodes: readonly NodeLoad[]): string {
  const shown = nodes.slice(0, 5).map((n) => n.node).join(', ');
  return nodes.length > 5 ? `${shown} and ${nodes.length - 5} more` : shown;
}
