/**
 * falco_start_monitoring and the MCP resources against the real API server: the FalcoMonitor
 * is applied server-side and read back. The operator is not run here (it is not assembled into
 * a runnable controller yet), so a small loop in this test plays its part: it marks the
 * monitor Ready once the applied generation is seen. What the tool does (apply, resume,
 * conflicts, waiting with progress) is real; the Ready condition is written by the test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CustomObjectsApi, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { installCrds } from '../../src/api/install.ts';
import { API_GROUP, API_VERSION, MONITOR_PLURAL } from '../../src/api/names.ts';
import { getTestCluster } from '../support/cluster.ts';
import { clusterDeps, connectClient } from './int-support.ts';

type Monitor = KubernetesObject & { spec?: { suspend?: boolean; minimumPriority?: string }; status?: unknown };

/** Plays the operator's status writer: Ready=True for the current generation once spec.suspend is false. */
function markReadyWhenResumed(kc: KubeConfig, namespace: string, name: string, signal: AbortSignal): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const key = { group: API_GROUP, version: API_VERSION, namespace, plural: MONITOR_PLURAL, name };
  return (async () => {
    while (!signal.aborted) {
      const m = (await api.getNamespacedCustomObject(key)) as Monitor;
      if (m.spec?.suspend === false) {
        const generation = m.metadata?.generation ?? 1;
        const now = new Date().toISOString();
        const status = {
          observedGeneration: generation,
          desiredNodes: 1,
          readyNodes: 1,
          conditions: [{ type: 'Ready', status: 'True', reason: 'AllNodesReady', message: 'Falco runs on 1 of 1 nodes.', lastTransitionTime: now, observedGeneration: generation }],
        };
        await api.replaceNamespacedCustomObjectStatus({ ...key, body: { ...m, status } });
        return;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
}

describe('falco_start_monitoring against the API server', () => {
  let kc: KubeConfig;
  let ns: string;
  let client: Awaited<ReturnType<typeof connectClient>>['client'];
  let close: () => Promise<void>;

  before(async () => {
    const cluster = await getTestCluster();
    kc = cluster.kubeConfig();
    await installCrds(kc);
    ns = await cluster.createNamespace('mcp-start');
    const deps = clusterDeps(kc, ns);
    delete deps.defaults.monitor;
    ({ client, close } = await connectClient(deps));
  });
  after(async () => close?.());

  it('creates a FalcoMonitor by server-side apply with field manager falconer', async () => {
    const r = await client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'fresh', minimumPriority: 'warning', nodeSelector: { 'falco': 'yes' }, waitSeconds: 0 } });
    const out = r.structuredContent as { outcome: string; action: string; generation: number };
    assert.equal(out.outcome, 'Applied');
    assert.equal(out.action, 'created');
    const stored = (await KubernetesObjectApi.makeApiClient(kc).read({ apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'FalcoMonitor', metadata: { name: 'fresh', namespace: ns } })) as Monitor;
    assert.equal(stored.spec?.minimumPriority, 'Warning');
    assert.equal(stored.spec?.suspend, false);
    assert.ok(stored.metadata?.managedFields?.some((f) => f.manager === 'falconer' && f.operation === 'Apply'));
  });

  it('resumes a suspended monitor owned by someone else only with takeOwnership, then waits for Ready with progress', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    await objects.create({ apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'FalcoMonitor', metadata: { name: 'paused', namespace: ns }, spec: { suspend: true } } as KubernetesObject, undefined, undefined, 'platform-team');

    const refused = await client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'paused', waitSeconds: 0 } });
    assert.equal(refused.isError, true);
    assert.match((refused.content as Array<{ text: string }>)[0]?.text ?? '', /takeOwnership/);

    const stop = new AbortController();
    const operator = markReadyWhenResumed(kc, ns, 'paused', stop.signal);
    const progress: string[] = [];
    try {
      const r = await client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'paused', takeOwnership: true, waitSeconds: 20 } }, undefined, { onprogress: (p) => progress.push(p.message ?? '') });
      const out = r.structuredContent as { outcome: string; action: string; readyNodes: number };
      assert.equal(out.action, 'updated');
      assert.equal(out.outcome, 'Ready');
      assert.equal(out.readyNodes, 1);
      assert.ok(progress.length >= 1, 'progress notifications while waiting');
    } finally {
      stop.abort();
      await operator;
    }
  });

  it('lists and reads monitors as MCP resources', async () => {
    const c2deps = clusterDeps(kc, ns);
    const c2 = await connectClient(c2deps);
    try {
      const { resources } = await c2.client.listResources();
      assert.deepEqual(resources.map((r) => r.uri).sort(), [`falconer://falcomonitors/${ns}/fresh`, `falconer://falcomonitors/${ns}/paused`]);
      const read = await c2.client.readResource({ uri: `falconer://falcomonitors/${ns}/paused` });
      const first = read.contents[0];
      assert.ok(first !== undefined && 'text' in first);
      const body = JSON.parse(first.text) as { spec: { suspend: boolean }; status: { conditions: Array<{ type: string; status: string }> } };
      assert.equal(body.spec.suspend, false);
      assert.equal(body.status.conditions[0]?.status, 'True');
    } finally {
      await c2.close();
    }
  });
});
