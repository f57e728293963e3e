/**
 * Names that the operator, the MCP server, the manifests and the tests share. One place, so a
 * label key or an API group is never spelled twice.
 */
export const API_GROUP = 'falconer.dev';
export const API_VERSION = 'v1alpha1';
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

export const RULESET_KIND = 'FalcoRuleSet';
export const RULESET_PLURAL = 'falcorulesets';
export const RULESET_SHORT_NAME = 'frs';
export const MONITOR_KIND = 'FalcoMonitor';
export const MONITOR_PLURAL = 'falcomonitors';
export const MONITOR_SHORT_NAME = 'fmon';
export const API_CATEGORY = 'falconer';

/** Server-side apply field manager of everything the operator writes. */
export const FIELD_MANAGER = 'falconer';

/** The name of the Falco container in every pod Falconer creates. */
export const FALCO_CONTAINER = 'falco';

export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_MONITOR = 'falconer.dev/monitor';
export const MANAGED_BY_VALUE = 'falconer';
export const NAME_VALUE = 'falco';

/** Labels on every object Falconer creates for a monitor. Never the CR's own labels. */
export function labelsFor(monitorName: string, component?: string): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
    [LABEL_NAME]: NAME_VALUE,
    [LABEL_MONITOR]: monitorName,
  };
  if (component !== undefined) labels[LABEL_COMPONENT] = component;
  return labels;
}

/** Label selector (string form) of the Falco pods of one monitor. */
export function falcoPodSelector(monitorName: string): string {
  return `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE},${LABEL_MONITOR}=${monitorName},${LABEL_COMPONENT}=falco`;
}
