import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KUBERNETES_VERSION, binaryCacheKey } from '../../src/controlplane/versions.ts';
import { CNI_PLUGINS_VERSION, CONTAINERD_VERSION, RUNC_VERSION, nodeCacheKey, nodeModuleDir } from '../../src/node/versions.ts';
import type { NodeModule } from '../../src/node/versions.ts';

const goMod = (m: NodeModule): string => readFileSync(join(nodeModuleDir(m), 'go.mod'), 'utf8');
const pinned = (module: string, version: string): RegExp => new RegExp(`\\b${module.replaceAll('.', '\\.')} ${version.replaceAll('.', '\\.')}\\b`);

describe('real-node versions', () => {
  it('agree with the helper go.mod files', () => {
    assert.match(goMod('kubelet'), pinned('k8s.io/kubernetes', KUBERNETES_VERSION));
    assert.match(goMod('containerd'), pinned('github.com/containerd/containerd/v2', CONTAINERD_VERSION));
    assert.match(goMod('runc'), pinned('github.com/opencontainers/runc', RUNC_VERSION));
    assert.match(goMod('cni'), pinned('github.com/containernetworking/plugins', CNI_PLUGINS_VERSION));
  });

  it('builds the kubelet from the same module graph as the control plane, apart from the kubelet\'s own packages', () => {
    const requires = (text: string): Map<string, string> =>
      new Map([...text.matchAll(/^\s+(\S+) (v\S+)(?: \/\/ indirect)?$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const control = requires(readFileSync(join(nodeModuleDir('kubelet'), '..', '..', 'controlplane', 'kube', 'go.mod'), 'utf8'));
    const node = requires(goMod('kubelet'));
    for (const [module, version] of control) assert.equal(node.get(module), version, `${module} differs from the control plane's`);
  });

  it('pins containerd to a release whose CRI API matches the kubelet', () => {
    assert.match(goMod('containerd'), /k8s\.io\/cri-api v0\.34\.\d+/);
  });

  it('keys its cache apart from the control plane\'s, on every version', () => {
    const key = nodeCacheKey();
    for (const v of [KUBERNETES_VERSION, CONTAINERD_VERSION, RUNC_VERSION, CNI_PLUGINS_VERSION]) assert.ok(key.includes(v), v);
    assert.notEqual(key, binaryCacheKey());
  });
});
