import type { KubernetesObject } from '@kubernetes/client-node';
import { VERIFICATION_COMPONENT_LABEL, VERIFICATION_COMPONENT_VALUE } from '../../src/controlplane/kwok.ts';

export interface VerificationOutcome {
  /** Whether the simulated `falco -V` exits 0 or 1. */
  result: 'succeed' | 'fail';
  /** What the verify container "printed": usually a recorded real Falco output file. */
  logFile: string;
}

/** The container name of verification Job pods, whose log the operator parses. */
export const VERIFY_CONTAINER = 'verify';

/**
 * A kwok Stage that ends verification pods of one namespace the way the test chose, and a
 * ClusterLogs entry that makes their `verify` container print the chosen file. Real Falco cannot
 * run here; this is the one place a test decides what "Falco" said.
 */
export function verificationOutcomeObjects(namespace: string, outcome: VerificationOutcome): KubernetesObject[] {
  const exitCode = outcome.result === 'succeed' ? 0 : 1;
  const phase = outcome.result === 'succeed' ? 'Succeeded' : 'Failed';
  const reason = outcome.result === 'succeed' ? 'Completed' : 'Error';
  const stage = {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: `falconer-verify-${namespace}` },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: {
        matchExpressions: [
          { key: '.metadata.namespace', operator: 'In', values: [namespace] },
          { key: `.metadata.labels["${VERIFICATION_COMPONENT_LABEL}"]`, operator: 'In', values: [VERIFICATION_COMPONENT_VALUE] },
          { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
          { key: '.status.phase', operator: 'In', values: ['Running'] },
        ],
      },
      next: {
        statusTemplate: [
          '{{ $now := Now }}',
          'containerStatuses:',
          '{{ range .spec.containers }}',
          '- image: {{ .image | Quote }}',
          '  name: {{ .name | Quote }}',
          '  ready: false',
          '  restartCount: 0',
          '  started: false',
          '  state:',
          '    terminated:',
          `      exitCode: ${exitCode}`,
          `      reason: ${reason}`,
          '      startedAt: {{ $now | Quote }}',
          '      finishedAt: {{ $now | Quote }}',
          '{{ end }}',
          `phase: ${phase}`,
          '',
        ].join('\n'),
      },
    },
  };
  const logs = {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: `falconer-verify-${namespace}` },
    spec: {
      selector: { matchNamespaces: [namespace] },
      logs: [{ containers: [VERIFY_CONTAINER], logsFile: outcome.logFile }],
    },
  };
  return [stage, logs] as KubernetesObject[];
}
