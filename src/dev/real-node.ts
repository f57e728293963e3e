import { existsSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import { MONITOR_KIND } from '../api/names.ts';
import { realNodeUnsupportedReason } from '../node/capability.ts';
import { realNodeUnavailableReason } from '../node/lock.ts';
import { REAL_NODE_LABEL, REAL_NODE_LABEL_VALUE, REAL_NODE_TAINT_KEY } from '../node/config.ts';

/**
 * Whether `falconer dev` runs Falco on a real node: only where the machine can run one and a
 * Falco image archive was given. Only an explicit flag switches it on, so a plain `npm run dev`
 * behaves the same on every machine whatever was loaded before.
 */
export type RealNodePlan = { use: true; archive: string } | { use: false; reason: string };

export function planRealNode(options: { wanted: boolean; archive?: string }): RealNodePlan {
  if (!options.wanted) return { use: false, reason: '--no-real-node was given' };
  const unsupported = realNodeUnsupportedReason();
  if (unsupported !== undefined) return { use: false, reason: unsupported };
  const taken = realNodeUnavailableReason();
  if (taken !== undefined) return { use: false, reason: taken };
  const archive = options.archive;
  if (archive === undefined) return { use: false, reason: 'no Falco image archive was given (--falco-image-archive <file>)' };
  if (!existsSync(archive)) return { use: false, reason: `the Falco image archive ${archive} does not exist` };
  return { use: true, archive };
}

/**
 * The example monitor, pointed at the real node: the imported image (never pulled), scheduled
 * only there (its label, its taint tolerated), so MCP tools exec into a real Falco.
 */
export function onRealNodeMonitor(objects: readonly KubernetesObject[], imageReference: string): KubernetesObject[] {
  const at = imageReference.lastIndexOf(':');
  const repository = imageReference.slice(0, at);
  const tag = imageReference.slice(at + 1);
  return objects.map((obj) => {
    if (obj.kind !== MONITOR_KIND) return obj;
    const spec = (obj as { spec?: Record<string, unknown> }).spec ?? {};
    return {
      ...obj,
      spec: {
        ...spec,
        image: { repository, tag, pullPolicy: 'Never' },
        nodeSelector: { [REAL_NODE_LABEL]: REAL_NODE_LABEL_VALUE },
        tolerations: [{ key: REAL_NODE_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' }],
      },
    } as KubernetesObject;
  });
}
