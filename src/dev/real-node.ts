import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { MONITOR_KIND } from '../api/names.ts';
import { cacheRoot } from '../controlplane/versions.ts';
import { realNodeUnsupportedReason } from '../node/capability.ts';
import { realNodeUnavailableReason } from '../node/lock.ts';
import { REAL_NODE_LABEL, REAL_NODE_LABEL_VALUE, REAL_NODE_TAINT_KEY } from '../node/config.ts';

/**
 * Whether `falconer dev` runs Falco on a real node: only where the machine can run one and a
 * Falco image archive is at hand (given now, or remembered from an earlier `cluster load`).
 */
export type RealNodePlan = { use: true; archive: string } | { use: false; reason: string };

/** Where `cluster load` remembers the last Falco archive it imported, for the next `falconer dev`. */
export function rememberedArchiveFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'node', 'last-loaded-archive');
}

export function rememberArchive(archive: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = rememberedArchiveFile(env);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${resolve(archive)}\n`);
}

function rememberedArchive(env: NodeJS.ProcessEnv): string | undefined {
  const file = rememberedArchiveFile(env);
  if (!existsSync(file)) return undefined;
  const archive = readFileSync(file, 'utf8').trim();
  return archive !== '' && existsSync(archive) ? archive : undefined;
}

export function planRealNode(options: { wanted: boolean; archive?: string; env?: NodeJS.ProcessEnv }): RealNodePlan {
  if (!options.wanted) return { use: false, reason: '--no-real-node was given' };
  const unsupported = realNodeUnsupportedReason();
  if (unsupported !== undefined) return { use: false, reason: unsupported };
  const taken = realNodeUnavailableReason();
  if (taken !== undefined) return { use: false, reason: taken };
  const archive = options.archive ?? rememberedArchive(options.env ?? process.env);
  if (archive === undefined) return { use: false, reason: 'no Falco image archive (give --falco-image-archive <file>, or `falconer cluster load` one once)' };
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
