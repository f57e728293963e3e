import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the local control plane is built from. The helper Go modules under hack/controlplane pin
 * the exact module graph (go.mod + go.sum are committed); these constants name the versions for
 * logs, ldflags and the cache key, and a unit test checks they agree with the go.mod files.
 */
export const KUBERNETES_VERSION = 'v1.34.4';
export const ETCD_VERSION = 'v3.6.16';
export const KWOK_VERSION = 'v0.8.0';

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubectl' | 'kwok';

export const COMPONENTS: readonly Component[] = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
];

/** One `go build` invocation: a helper module and the main packages it builds. */
export interface BuildUnit {
  module: 'kube' | 'etcd' | 'kwok';
  packages: readonly string[];
  outputs: readonly Component[];
  /** Version stamps for k8s binaries: without them `/version` reports v0.0.0-master. */
  stampKubeVersion: boolean;
}

export const BUILD_UNITS: readonly BuildUnit[] = [
  { module: 'etcd', packages: ['go.etcd.io/etcd/server/v3'], outputs: ['etcd'], stampKubeVersion: false },
  { module: 'kwok', packages: ['sigs.k8s.io/kwok/cmd/kwok'], outputs: ['kwok'], stampKubeVersion: false },
  {
    module: 'kube',
    packages: [
      'k8s.io/kubernetes/cmd/kube-apiserver',
      'k8s.io/kubernetes/cmd/kube-controller-manager',
      'k8s.io/kubernetes/cmd/kube-scheduler',
      'k8s.io/kubernetes/cmd/kubectl',
    ],
    outputs: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'],
    stampKubeVersion: true,
  },
];

/** Root of the repository (this file sits at src/controlplane/versions.ts). */
export function repoRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

export function helperModuleDir(module: BuildUnit['module']): string {
  return join(repoRoot(), 'hack', 'controlplane', module);
}

/** Per-machine cache: survives fresh clones on the same machine, never inside the repo. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['FALCONER_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'falconer');
}

/**
 * The binary cache key: the versions plus a digest of every helper go.mod/go.sum, so a change to
 * the module graph builds into a fresh folder instead of reusing stale binaries.
 */
export function binaryCacheKey(): string {
  const hash = createHash('sha256');
  for (const unit of BUILD_UNITS) {
    for (const file of ['go.mod', 'go.sum']) {
      hash.update(readFileSync(join(helperModuleDir(unit.module), file)));
    }
  }
  return `k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_${hash.digest('hex').slice(0, 12)}`;
}

export function binaryDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'controlplane', binaryCacheKey());
}
