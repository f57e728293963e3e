/**
 * Every manifest a user applies passes a server-side dry run against the real API server, applied
 * as Argo CD applies it (server-side, field manager argocd-controller): deploy/install.yaml, the
 * kustomizations (base, MCP overlay, Argo CD variant), the examples, and the argocd-cm patch.
 * The API server runs admission and the CRD schemas (including CEL rules) on each object.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { installCrds } from '../../src/api/install.ts';
import { healthKey, HEALTH_KINDS } from '../../src/api/generate/argocd.ts';
import { getTestCluster } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';
import { objectKey, readManifests, repoPath } from './support/manifests.ts';

const APPLY = ['apply', '--server-side', '--dry-run=server', '--field-manager=argocd-controller'];

/** Lines such as `deployment.apps/falconer-operator serverside-applied (server dry run)`. */
function dryRunCount(stdout: string): number {
  return stdout.split('\n').filter((l) => l.endsWith('(server dry run)')).length;
}

describe('server-side dry run of the shipped manifests', () => {
  let cluster: TestCluster;

  before(async () => {
    cluster = await getTestCluster();
    await installCrds(cluster.kubeConfig());
    // A dry run creates nothing, so the namespaced objects need their namespace to exist already.
    const ns = await cluster.kubectl(['apply', '--server-side', '--field-manager=argocd-controller', '-f', '-'], {
      stdin: JSON.stringify(readManifests('deploy/install.yaml').find((o) => o.kind === 'Namespace')),
    });
    assert.equal(ns.code, 0, ns.stderr);
  });

  it('accepts deploy/install.yaml', async () => {
    const result = await cluster.kubectl([...APPLY, '-f', repoPath('deploy/install.yaml')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(dryRunCount(result.stdout), readManifests('deploy/install.yaml').length, result.stdout);
  });

  for (const dir of ['deploy/base', 'deploy/overlays/mcp-http', 'deploy/argocd/operator']) {
    it(`accepts kubectl apply -k ${dir}`, async () => {
      const result = await cluster.kubectl([...APPLY, '-k', repoPath(dir)]);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(dryRunCount(result.stdout) >= 11, result.stdout);
    });
  }

  it('accepts every example in a namespace of its own', async () => {
    const namespace = await cluster.createNamespace('dry-run-examples');
    const result = await cluster.kubectl([...APPLY, '-n', namespace, '-f', repoPath('examples')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(dryRunCount(result.stdout), 4, result.stdout);
  });

  it('accepts the argocd-cm patch as the data of an argocd-cm ConfigMap', async () => {
    const patch = readManifests('deploy/argocd/argocd-cm-patch.yaml');
    assert.deepEqual(patch.map(objectKey), ['ConfigMap/argocd/argocd-cm']);
    const namespace = await cluster.createNamespace('dry-run-argocd');
    assert.equal((await cluster.kubectl(['create', 'configmap', 'argocd-cm', '-n', namespace])).code, 0);
    const body = { ...patch[0], metadata: { name: 'argocd-cm', namespace } };
    const result = await cluster.kubectl([...APPLY, '-n', namespace, '-o', 'json', '-f', '-'], { stdin: JSON.stringify(body) });
    assert.equal(result.code, 0, result.stderr);
    const data = (JSON.parse(result.stdout) as { data: Record<string, string> }).data;
    assert.deepEqual(Object.keys(data).sort(), HEALTH_KINDS.map(healthKey).sort());
  });
});
