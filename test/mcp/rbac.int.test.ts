/**
 * The shipped RBAC (deploy/rbac/mcp-role.yaml) is enough for every tool, and no more than the
 * write role adds: the MCP server runs here with a token of the falconer-mcp ServiceAccount.
 * Exec reaches the test-only stand-in `falco`, which replays recorded real Falco 0.42.1 output.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { installCrds } from '../../src/api/install.ts';
import { FALCO_CONTAINER } from '../../src/api/names.ts';
import { serverSideApply } from '../../src/controlplane/setup.ts';
import { getTestCluster } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';
import { MONITOR, clusterDeps, connectClient, createFalcoPod, falcoAlert, waitForReadyPods, writeCriLog } from './int-support.ts';

const RBAC_FILE = new URL('../../deploy/rbac/mcp-role.yaml', import.meta.url).pathname;

/** The shipped manifests, moved from falconer-system into the test namespace. */
function rbacObjects(namespace: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(RBAC_FILE, 'utf8')).map((d) => {
    const obj = d.toJS() as KubernetesObject & { subjects?: Array<{ namespace?: string }> };
    if (obj.metadata?.namespace !== undefined) obj.metadata.namespace = namespace;
    for (const s of obj.subjects ?? []) s.namespace = namespace;
    return obj;
  });
}

async function serviceAccountConfig(admin: KubeConfig, namespace: string): Promise<KubeConfig> {
  const core = admin.makeApiClient(CoreV1Api);
  const req = await core.createNamespacedServiceAccountToken({ name: 'falconer-mcp', namespace, body: { spec: { audiences: [], expirationSeconds: 600 } } });
  const cluster = admin.getCurrentCluster();
  if (cluster === null) throw new Error('admin kubeconfig has no cluster');
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(cluster, { name: 'falconer-mcp', token: req.status?.token ?? '' });
  return kc;
}

describe('falconer mcp under the shipped least-privilege RBAC', () => {
  let cluster: TestCluster;
  let ns: string;
  let sa: KubeConfig;

  before(async () => {
    cluster = await getTestCluster();
    const admin = cluster.kubeConfig();
    await installCrds(admin);
    ns = await cluster.createNamespace('mcp-rbac');
    await serverSideApply(admin, rbacObjects(ns));
    await createFalcoPod(admin, ns, `${MONITOR}-falco-0`, cluster.nodeNames[0] ?? '');
    await waitForReadyPods(admin, ns, 1);
    const log = join(mkdtempSync(join(tmpdir(), 'falconer-rbac-')), 'falco.log');
    writeCriLog(log, [{ stream: 'stdout', text: falcoAlert('Terminal shell in container', 'Notice', new Date(), { 'k8s.ns.name': ns }) }]);
    await cluster.setPodLogs(ns, `${MONITOR}-falco-0`, FALCO_CONTAINER, log);
    sa = await serviceAccountConfig(admin, ns);
  });

  it('runs the read tools, reads resources and applies a monitor as the ServiceAccount', async () => {
    const c = await connectClient(clusterDeps(sa, ns));
    try {
      for (const [name, args] of [
        ['falco_get_version', {}],
        ['falco_list_rules', { limit: 5 }],
        ['falco_validate_rules', { rules: '- list: empty\n  items: []\n' }],
        ['falco_query_alerts', {}],
        ['falco_start_monitoring', { name: MONITOR, waitSeconds: 0 }],
      ] as const) {
        const r = await c.client.callTool({ name, arguments: args });
        const text = (r.content as Array<{ text?: string }>).map((x) => x.text ?? '').join('\n');
        if (name === 'falco_validate_rules') {
          // That candidate has no recording, so the stand-in refuses it: what matters is that exec was allowed.
          assert.doesNotMatch(text, /403|RBAC|forbidden/i, name);
          continue;
        }
        assert.notEqual(r.isError, true, `${name}: ${text}`);
      }
      const { resources } = await c.client.listResources();
      assert.ok(resources.some((r) => r.uri === `falconer://falcomonitors/${ns}/${MONITOR}`));
    } finally {
      await c.close();
    }
  });

  it('cannot apply a monitor once the write binding is removed, and says which RBAC is missing', async () => {
    await cluster.kubeConfig().makeApiClient(RbacAuthorizationV1Api).deleteNamespacedRoleBinding({ name: 'falconer-mcp-write', namespace: ns });
    const c = await connectClient(clusterDeps(sa, ns));
    try {
      const r = await c.client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'other', waitSeconds: 0 } });
      assert.equal(r.isError, true);
      assert.match((r.content as Array<{ text: string }>)[0]?.text ?? '', /HTTP 403.*mcp-role\.yaml/);
      const read = await c.client.callTool({ name: 'falco_get_version', arguments: {} });
      assert.notEqual(read.isError, true);
    } finally {
      await c.close();
    }
  });
});
