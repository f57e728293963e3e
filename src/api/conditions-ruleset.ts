/**
 * The conditions a FalcoRuleSet reports and their reasons: the only strings a reconciler may
 * use, so that users, Argo CD health scripts and MCP tools can rely on them.
 */
export const RuleSetConditionType = {
  /** The in-process static check (YAML, structure, conditions, outputs) accepted the rules. */
  Valid: 'Valid',
  /** A real Falco accepted the rules, for every Falco image of the monitors that select it. */
  Verified: 'Verified',
  /** Valid, verified and enabled: monitors may load it. */
  Ready: 'Ready',
} as const;
export type RuleSetConditionType = (typeof RuleSetConditionType)[keyof typeof RuleSetConditionType];

export const RuleSetReason = {
  // Valid
  StaticCheckPassed: 'StaticCheckPassed',
  StaticCheckFailed: 'StaticCheckFailed',
  ConfigMapNotFound: 'ConfigMapNotFound',
  ConfigMapKeyNotFound: 'ConfigMapKeyNotFound',
  // Verified
  VerificationPassed: 'VerificationPassed',
  VerificationFailed: 'VerificationFailed',
  VerificationPending: 'VerificationPending',
  VerificationError: 'VerificationError',
  NotSelected: 'NotSelected',
  /** The operator runs with static verification only: no Falco was asked. */
  VerificationSkipped: 'VerificationSkipped',
  // Ready
  RuleSetReady: 'RuleSetReady',
  /** Ready on the static check alone (operator in static verification mode). */
  StaticCheckOnly: 'StaticCheckOnly',
  Disabled: 'Disabled',
  NotValid: 'NotValid',
  NotVerified: 'NotVerified',
  // any type, before the first reconcile finished
  Pending: 'Pending',
} as const;
export type RuleSetReason = (typeof RuleSetReason)[keyof typeof RuleSetReason];
