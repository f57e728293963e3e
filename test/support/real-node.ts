/**
 * Pods for the real node: they select its label and tolerate its taint (everything else in the
 * suite lands on kwok's nodes only), never pull, and stop quickly.
 */
import type { V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { REAL_NODE_LABEL, REAL_NODE_LABEL_VALUE, REAL_NODE_TAINT_KEY } from '../../src/node/config.ts';

export function onRealNode(spec: V1PodSpec): V1PodSpec {
  return {
    nodeSelector: { [REAL_NODE_LABEL]: REAL_NODE_LABEL_VALUE },
    tolerations: [{ key: REAL_NODE_TAINT_KEY, operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
    // A shell or sleep as PID 1 ignores SIGTERM: without this every delete waits 30 s.
    terminationGracePeriodSeconds: 1,
    ...spec,
    containers: spec.containers.map((c) => ({ imagePullPolicy: 'Never', ...c })),
  };
}

export function realNodePod(name: string, spec: V1PodSpec): V1Pod {
  return { metadata: { name }, spec: onRealNode(spec) };
}
