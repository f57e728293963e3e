/**
 * falco_start_monitoring shows what it would change before it changes anything: a server-side
 * dry-run apply (the API server's defaults, CEL checks and other managers' fields included),
 * returned as a preview with `dryRun: true`, and put in front of the user through elicitation
 * when the client supports it. Checked with the TypeScript SDK in process and with a third-party
 * client, the official Python SDK, talking to `falconer mcp` over stdio.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { installCrds } from '../../src/api/install.ts';
import { API_GROUP, API_VERSION } from '../../src/api/names.ts';
import { getTestCluster } from '../support/cluster.ts';
import { runPythonClient } from '../support/python-mcp.ts';
import { launcherEnv, shippedLauncher } from '../support/shipped-cli.ts';
import { clusterDeps, connectClient } from './int-support.ts';

type Monitor = KubernetesObject & { spec?: Record<string, unknown> };
type Change = { path: string; before?: unknown; after?: unknown };


describe('falco_start_monitoring previews its change', () => {
  let kc: KubeConfig;
  let kubeconfigPath: string;
  let ns: string;
  let objects: KubernetesObjectApi;

  const read = async (name: string): Promise<Monitor | undefined> => {
    try {
      return (await objects.read({ apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'FalcoMonitor', metadata: { name, namespace: ns } })) as Monitor;
    } catch {
      return undefined;
    }
  };

  before(async () => {
    const cluster = await getTestCluster();
    kc = cluster.kubeConfig();
    kubeconfigPath = cluster.kubeconfigPath;
    await installCrds(kc);
    ns = await cluster.createNamespace('mcp-preview');
    objects = KubernetesObjectApi.makeApiClient(kc);
  });

  describe('TypeScript SDK', () => {
    let client: Awaited<ReturnType<typeof connectClient>>['client'];
    let close: () => Promise<void>;
    before(async () => {
      const deps = clusterDeps(kc, ns);
      delete deps.defaults.monitor;
      ({ client, close } = await connectClient(deps));
    });
    after(async () => close?.());

    it('dryRun returns the changes the API server would make, defaults included, and stores nothing', async () => {
      const r = await client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'preview', minimumPriority: 'warning', dryRun: true } });
      const out = r.structuredContent as { outcome: string; action: string; changes: Change[] };
      assert.equal(out.outcome, 'Preview');
      assert.equal(out.action, 'none');
      const byPath = new Map(out.changes.map((c) => [c.path, c]));
      assert.deepEqual(byPath.get('spec.minimumPriority'), { path: 'spec.minimumPriority', after: 'Warning' });
      assert.equal(byPath.get('spec.image.tag')?.after, '0.44.1', 'the CRD default, filled in by the API server');
      assert.equal(await read('preview'), undefined, 'nothing stored');
    });

    it('a preview of an existing monitor lists only what changes', async () => {
      await objects.create({ apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'FalcoMonitor', metadata: { name: 'existing', namespace: ns }, spec: { minimumPriority: 'Notice' } } as KubernetesObject, undefined, undefined, 'falconer');
      const r = await client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'existing', minimumPriority: 'error', dryRun: true, takeOwnership: true } });
      const out = r.structuredContent as { changes: Change[] };
      assert.deepEqual(out.changes, [{ path: 'spec.minimumPriority', before: 'Notice', after: 'Error' }]);
      assert.equal((await read('existing'))?.spec?.['minimumPriority'], 'Notice');
    });

    it('the API server refuses a bad apply already in the preview, before anyone is asked', async () => {
      const r = await client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'Bad_Name', dryRun: true } });
      assert.equal(r.isError, true);
    });
  });

  it('elicitation shows the user the previewed changes; declining stores nothing (TypeScript SDK)', async () => {
    const deps = clusterDeps(kc, ns);
    delete deps.defaults.monitor;
    const { client, close } = await connectClient(deps, { elicitation: { form: {} } });
    try {
      const prompts: string[] = [];
      client.setRequestHandler(ElicitRequestSchema, async (req) => {
        prompts.push(req.params.message);
        return { action: 'decline' };
      });
      const r = await client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'asked', minimumPriority: 'critical', waitSeconds: 0 } });
      assert.equal((r.structuredContent as { outcome: string }).outcome, 'Declined');
      assert.equal(prompts.length, 1, JSON.stringify(prompts));
      assert.match(prompts[0] ?? '', /^Create FalcoMonitor .*\/asked\? Changes:\n/);
      assert.match(prompts[0] ?? '', /\nspec\.driver\.kind: \(unset\) -> "modern_ebpf"\n/, 'defaults the API server fills in are shown too');
      assert.match(prompts[0] ?? '', /spec\.minimumPriority: \(unset\) -> "Critical"/);
      assert.equal(await read('asked'), undefined);
    } finally {
      await close();
    }
  });

  it('the official Python SDK gets the same preview, the same prompt, and its answer decides', async () => {
    const env = launcherEnv({ ...process.env, KUBECONFIG: kubeconfigPath, FALCONER_LOG_LEVEL: 'error' }) as Record<string, string>;
    const args = ['mcp', '--kubeconfig', kubeconfigPath, '--namespace', ns];
    const call = (name: string, extra: Record<string, unknown>) => ({ name: 'falco_start_monitoring', arguments: { name, waitSeconds: 0, minimumPriority: 'alert', ...extra } });
    const declined = await runPythonClient({ command: shippedLauncher(), args, env, elicit: 'decline', calls: [call('py', { dryRun: true }), call('py', {})] });
    const [preview, refused] = declined.results;
    assert.equal(preview?.structuredContent?.['outcome'], 'Preview', JSON.stringify(declined));
    assert.ok((preview?.structuredContent?.['changes'] as Change[]).some((c) => c.path === 'spec.minimumPriority' && c.after === 'Alert'));
    assert.equal(refused?.structuredContent?.['outcome'], 'Declined');
    assert.equal(declined.prompts.length, 1, 'asked once: the preview asks nobody');
    assert.match(declined.prompts[0] ?? '', /spec\.minimumPriority: \(unset\) -> "Alert"/);
    assert.equal(await read('py'), undefined);

    const accepted = await runPythonClient({ command: shippedLauncher(), args, env, elicit: 'accept', calls: [call('py', {})] });
    assert.equal(accepted.results[0]?.structuredContent?.['outcome'], 'Applied', JSON.stringify(accepted));
    assert.equal((await read('py'))?.spec?.['minimumPriority'], 'Alert');
  });
});
