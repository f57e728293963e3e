import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KUBERNETES_VERSION, cacheRoot, repoRoot } from '../controlplane/versions.ts';

/**
 * What the real node is built from. Each helper module under hack/node pins one upstream module
 * graph (go.mod + go.sum committed); the kubelet shares the control plane's kubernetes version.
 */
export const CONTAINERD_VERSION = 'v2.2.10';
export const RUNC_VERSION = 'v1.3.7';
export const CNI_PLUGINS_VERSION = 'v1.9.1';
/** The pause image's version string, as kubernetes' own build/pause Makefile stamps it. */
export const PAUSE_VERSION = '3.10.1';
export const PAUSE_IMAGE = `falconer.local/pause:${PAUSE_VERSION}`;

export type NodeModule = 'kubelet' | 'containerd' | 'runc' | 'cni' | 'relay';

/** One `go build`: a helper module, its main packages, where they land and how they are built. */
export interface NodeBuildUnit {
  module: NodeModule;
  packages: readonly string[];
  /** Folder under the node cache: `bin` or `cni` (CNI plugins are looked up by folder). */
  into: 'bin' | 'cni';
  outputs: readonly string[];
  cgo: boolean;
  tags: readonly string[];
  /** Extra ldflags besides `-s -w` (version stamps, static linking). */
  ldflags: string;
  buildmode?: 'pie';
}

const CONTAINERD = 'github.com/containerd/containerd/v2';
const CNI = 'github.com/containernetworking/plugins/plugins';
const containerdStamp = `-X ${CONTAINERD}/version.Version=${CONTAINERD_VERSION} -X ${CONTAINERD}/version.Package=${CONTAINERD}`;

export const NODE_BUILD_UNITS: readonly NodeBuildUnit[] = [
  // Version stamps for the kubelet come from the control plane's build (kubeVersionLdflags).
  { module: 'kubelet', packages: ['k8s.io/kubernetes/cmd/kubelet'], into: 'bin', outputs: ['kubelet'], cgo: false, tags: [], ldflags: '' },
  {
    module: 'containerd',
    packages: [`${CONTAINERD}/cmd/containerd`, `${CONTAINERD}/cmd/ctr`],
    into: 'bin',
    outputs: ['containerd', 'ctr'],
    cgo: false,
    tags: ['urfave_cli_no_docs', 'no_btrfs'],
    ldflags: containerdStamp,
  },
  {
    module: 'containerd',
    packages: [`${CONTAINERD}/cmd/containerd-shim-runc-v2`],
    into: 'bin',
    outputs: ['containerd-shim-runc-v2'],
    cgo: false,
    tags: ['urfave_cli_no_docs', 'no_btrfs', 'no_grpc'],
    ldflags: containerdStamp,
  },
  {
    // runc needs libseccomp through cgo; linked static-pie so it runs without the -dev package.
    module: 'runc',
    packages: ['github.com/opencontainers/runc'],
    into: 'bin',
    outputs: ['runc'],
    cgo: true,
    tags: ['seccomp', 'netgo', 'osusergo'],
    ldflags: `-X main.version=${RUNC_VERSION.replace(/^v/, '')} -extldflags -static-pie`,
    buildmode: 'pie',
  },
  {
    module: 'cni',
    packages: [`${CNI}/main/bridge`, `${CNI}/ipam/host-local`, `${CNI}/main/loopback`, `${CNI}/meta/portmap`],
    into: 'cni',
    outputs: ['bridge', 'host-local', 'loopback', 'portmap'],
    cgo: false,
    tags: [],
    ldflags: '',
  },
  { module: 'relay', packages: ['.'], into: 'bin', outputs: ['falconer-relay'], cgo: false, tags: [], ldflags: '' },
];

export function nodeModuleDir(module: NodeModule): string {
  return join(repoRoot(), 'hack', 'node', module);
}

/** Versions plus a digest of every helper module's files: a changed graph builds into a new folder. */
export function nodeCacheKey(): string {
  const hash = createHash('sha256');
  for (const module of ['kubelet', 'containerd', 'runc', 'cni', 'relay'] as const) {
    for (const file of ['go.mod', 'go.sum']) hash.update(readFileSync(join(nodeModuleDir(module), file)));
  }
  hash.update(readFileSync(join(nodeModuleDir('relay'), 'main.go')));
  return `k8s-${KUBERNETES_VERSION}_containerd-${CONTAINERD_VERSION}_runc-${RUNC_VERSION}_cni-${CNI_PLUGINS_VERSION}_${hash.digest('hex').slice(0, 12)}`;
}

export function nodeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'node', nodeCacheKey());
}
