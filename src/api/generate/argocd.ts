/**
 * deploy/argocd/argocd-cm-patch.yaml: the argocd-cm keys that install Falconer's Argo CD health
 * checks. The Lua scripts under deploy/argocd/health/ (Argo CD's resource_customizations layout,
 * with their health_test.yaml fixtures) are the source; this file only carries them.
 */
import { stringify } from 'yaml';
import { API_GROUP, MONITOR_KIND, RULESET_KIND } from '../names.ts';
import { generatedFrom } from './deploy.ts';
import type { GeneratedFile } from './outputs.ts';
import type { ReadSource } from './kustomize.ts';

export const HEALTH_DIR = 'deploy/argocd/health';
export const ARGOCD_CM_PATCH = 'deploy/argocd/argocd-cm-patch.yaml';
export const HEALTH_KINDS = [MONITOR_KIND, RULESET_KIND] as const;

export function healthScriptPath(kind: string): string {
  return `${HEALTH_DIR}/${API_GROUP}/${kind}/health.lua`;
}

/** argocd-cm key of a kind's health check: `resource.customizations.health.<group>_<kind>`. */
export function healthKey(kind: string): string {
  return `resource.customizations.health.${API_GROUP}_${kind}`;
}

const USAGE = [
  "# Argo CD health checks for Falconer's custom resources. Merge into Argo CD's argocd-cm, e.g.",
  '#   kubectl -n argocd patch configmap argocd-cm --patch-file deploy/argocd/argocd-cm-patch.yaml',
  '# or list this file under `patches:` in the kustomization that installs Argo CD.',
  '# The scripts use neither the string nor the math library, so no useOpenLibs key is needed.',
  '',
].join('\n');

export function argocdFiles(read: ReadSource): GeneratedFile[] {
  return [
    {
      path: ARGOCD_CM_PATCH,
      render: () => {
        const data = Object.fromEntries(HEALTH_KINDS.map((kind) => [healthKey(kind), read(healthScriptPath(kind))]));
        const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' }, data };
        return generatedFrom(`${HEALTH_DIR}/${API_GROUP}/*/health.lua`) + USAGE + stringify(configMap, { lineWidth: 0 });
      },
    },
  ];
}
