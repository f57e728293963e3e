/**
 * falco_start_monitoring and the MCP resources against the real API server, with the real
 * operator reconciling the monitors. Verification Jobs cannot run a real Falco here: the test
 * plays Falco and accepts the rules, printing what a real Falco 0.42.1 printed for a valid file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { installCrds } from '../../src/api/install.ts';
import { API_GROUP, API_VERSION } from '../../src/api/names.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { startOperator } from '../../src/operator/start-operator.ts';
import type { RunningOperator } from '../../src/operator/start-operator.ts';
import { getTestCluster } from '../support/cluster.ts';
import { recordedPodLog } from '../operator/support/harness.ts';
import { clusterDeps, connectClient } from './int-support.ts';

type Monitor = KubernetesObject & { spec?: { suspend?: boolean; minimumPriority?: string }; status?: unknown };

describe('falco_start_monitoring against the API server', () => {
  let kc: KubeConfig;
  let ns: string;
  let client: Awaited<ReturnType<typeof connectClient>>['client'];
  let close: () => Promise<void>;
  let operator: RunningOperator;
  let nodes: number;

  before(async () => {
    const cluster = await getTestCluster();
    kc = cluster.kubeConfig();
    nodes = cluster.nodeNames.length;
    await installCrds(kc);
    ns = await cluster.createNamespace('mcp-start');
    await cluster.setVerificationOutcome(ns, { result: 'succeed', logFile: recordedPodLog('validate_loaded_json') });
    // kwok's pods serve no /metrics (and their made-up IPs must not be dialled): no reading here.
    operator = await startOperator({ kubeConfig: kc, logger: silentLogger(), namespace: ns, leaderElection: false, falcoMetrics: false });
    const deps = clusterDeps(kc, ns);
    delete deps.defaults.monitor;
    ({ client, close } = await connectClient(deps));
  });
  after(async () => {
    await close?.();
    await operator?.stop();
  });

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

    const progress: string[] = [];
    const r = await client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'paused', takeOwnership: true, waitSeconds: 55 } }, undefined, {
      onprogress: (p) => progress.push(p.message ?? ''),
      timeout: 180_000,
    });
    const out = r.structuredContent as { outcome: string; action: string; readyNodes: number };
    assert.equal(out.action, 'updated');
    assert.equal(out.outcome, 'Ready', JSON.stringify(r));
    assert.equal(out.readyNodes, nodes);
    assert.ok(progress.length >= 1, 'progress notifications while waiting');
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
      assert.equal(body.status.conditions.find((c) => c.type === 'Ready')?.status, 'True');
    } finally {
      await c2.close();
    }
  });
});
