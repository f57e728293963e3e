import type { V1ServiceAccount } from '@kubernetes/client-node';
import { labelsFor } from '../../api/names.ts';

export function serviceAccountName(monitor: string): string {
  return `${monitor}-falco`;
}

/**
 * The identity of a monitor's Falco pods. Falco with the drivers and outputs Falconer configures
 * calls no Kubernetes API, so the account gets no Role and its token is not mounted: least
 * privilege is no privilege. (The k8smeta plugin talks to the metacollector, not the API.)
 */
export function desiredServiceAccount(monitor: string, namespace: string): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: serviceAccountName(monitor), namespace, labels: labelsFor(monitor, 'falco') },
    automountServiceAccountToken: false,
  };
}
