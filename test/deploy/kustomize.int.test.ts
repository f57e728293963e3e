/**
 * The real kustomize (built into the kubectl of the local control plane) renders deploy/base,
 * the MCP overlay and the Argo CD variant; what it renders is what deploy/install.yaml holds.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ManifestObject } from '../../src/api/generate/kustomize.ts';
import { getTestCluster } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';
import { byKey, find, objectKey, parseManifests, readManifests, repoPath } from './support/manifests.ts';

const WAVE = 'argocd.argoproj.io/sync-wave';

describe('kubectl kustomize', () => {
  let cluster: TestCluster;

  before(async () => {
    cluster = await getTestCluster();
  });

  async function kustomize(dir: string): Promise<ManifestObject[]> {
    const result = await cluster.kubectl(['kustomize', repoPath(dir)]);
    assert.equal(result.code, 0, result.stderr);
    return parseManifests(result.stdout);
  }

  it('renders deploy/base into exactly the objects of deploy/install.yaml, in the same order', async () => {
    const rendered = await kustomize('deploy/base');
    const installed = readManifests('deploy/install.yaml');
    assert.deepEqual(installed.map(objectKey), rendered.map(objectKey));
    const installedByKey = byKey(installed);
    for (const object of rendered) assert.deepEqual(installedByKey.get(objectKey(object)), object, objectKey(object));
  });

  it('renders the MCP overlay as the base plus the MCP server, its Service and RBAC', async () => {
    const base = byKey(await kustomize('deploy/base'));
    const overlay = await kustomize('deploy/overlays/mcp-http');
    const added = overlay.filter((o) => !base.has(objectKey(o)));
    assert.deepEqual(added.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
      'ClusterRole/falconer-mcp-read',
      'ClusterRole/falconer-mcp-write',
      'Deployment/falconer-mcp',
      'RoleBinding/falconer-mcp-read',
      'RoleBinding/falconer-mcp-write',
      'Service/falconer-mcp',
      'ServiceAccount/falconer-mcp',
    ]);
    assert.equal(overlay.length, base.size + added.length);
  });

  it('puts CRDs and RBAC in sync wave -1 and the operator in wave 0 for Argo CD', async () => {
    const objects = await kustomize('deploy/argocd/operator');
    assert.equal(objects.length, (await kustomize('deploy/base')).length);
    const waves = new Map(objects.map((o) => [o.kind, (o.metadata['annotations'] as Record<string, string> | undefined)?.[WAVE]]));
    for (const kind of ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']) {
      assert.equal(waves.get(kind), '-1', kind);
    }
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) assert.equal(waves.get(kind), '0', kind);
    // Only the annotation differs from the base.
    const deployment = find(objects, 'Deployment', 'falconer-operator');
    assert.deepEqual(deployment.metadata['annotations'], { [WAVE]: '0' });
  });
});
