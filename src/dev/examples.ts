import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { RULESET_KIND } from '../api/names.ts';
import { repoRoot } from '../controlplane/versions.ts';
import { KubeApiError, describeError } from '../core/errors.ts';

/** The manifests `falconer dev` applies: every example rule set, then the minimal monitor. */
export function devExamples(dir = join(repoRoot(), 'examples')): KubernetesObject[] {
  const objects = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && (f.startsWith('ruleset-') || f === 'monitor-minimal.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as KubernetesObject));
  // Rule sets first, so the monitor's first reconcile already sees what it selects.
  return objects.sort((a, b) => Number(b.kind === RULESET_KIND) - Number(a.kind === RULESET_KIND));
}

export async function ensureNamespace(kc: KubeConfig, name: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.readNamespace({ name });
  } catch {
    await core.createNamespace({ body: { metadata: { name } } });
  }
}

/** Server-side apply as a user would (`kubectl apply --server-side`), under its own field manager. */
export async function applyExamples(kc: KubeConfig, namespace: string, objects: readonly KubernetesObject[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of objects) {
    const body = { ...obj, metadata: { ...obj.metadata, namespace } };
    try {
      await api.patch(body, undefined, undefined, 'falconer-dev', true, PatchStrategy.ServerSideApply);
    } catch (err) {
      throw new KubeApiError(`Applying example ${obj.kind}/${obj.metadata?.name ?? '?'} failed: ${describeError(err)}`, { cause: err });
    }
  }
}
