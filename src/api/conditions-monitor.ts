/**
 * The conditions a FalcoMonitor reports and their reasons. `Ready` summarises everything
 * (children included) because Argo CD reads only the CR, never its children.
 */
export const MonitorConditionType = {
  /** Falco runs on every desired node with the bundle in effect. */
  Ready: 'Ready',
  /** A rollout (new bundle, config or image) is under way. */
  Progressing: 'Progressing',
  /** Something needs attention: rejected rule sets, pods not ready, an apply that failed. */
  Degraded: 'Degraded',
  /** Every desired node's Falco reports (on /metrics) the sha256s of the intended bundle and config. */
  RulesLoaded: 'RulesLoaded',
} as const;
export type MonitorConditionType = (typeof MonitorConditionType)[keyof typeof MonitorConditionType];

export const MonitorReason = {
  // Ready
  AllNodesReady: 'AllNodesReady',
  NodesNotReady: 'NodesNotReady',
  NoNodes: 'NoNodes',
  Suspended: 'Suspended',
  // Progressing
  RollingOut: 'RollingOut',
  RolloutComplete: 'RolloutComplete',
  WaitingForVerification: 'WaitingForVerification',
  // Degraded
  AsExpected: 'AsExpected',
  RuleSetsRejected: 'RuleSetsRejected',
  PodsCrashing: 'PodsCrashing',
  RolledBack: 'RolledBack',
  ConfigRejected: 'ConfigRejected',
  ApplyFailed: 'ApplyFailed',
  InvalidSpec: 'InvalidSpec',
  EventsDropped: 'EventsDropped',
  MetricsMissing: 'MetricsMissing',
  // RulesLoaded
  AllNodesLoaded: 'AllNodesLoaded',
  NodesDrifted: 'NodesDrifted',
  NodesOutdated: 'NodesOutdated',
  NoMetrics: 'NoMetrics',
  NotDeployed: 'NotDeployed',
  // any type, before the first reconcile finished
  Pending: 'Pending',
} as const;
export type MonitorReason = (typeof MonitorReason)[keyof typeof MonitorReason];
