/**
 * Load on the operator: many rule sets and monitors reconcile to Ready. Trimmed (npm test): 50
 * rule sets and 5 monitors in one namespace of the shared 3-node cluster. Full (npm run
 * test:faults): 500 rule sets and 50 monitors in 10 namespaces on a private cluster with 100
 * simulated nodes (5000 Falco pods). The operator runs as `falconer operator` in its own process,
 * so its peak memory is measured. kwok plays the kubelets; verification pods print a recorded
 * real Falco 0.42.1 `-V` output.
 */
import { after, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { installCrds } from '../../src/api/install.ts';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, MONITOR_PLURAL, RULESET_PLURAL } from '../../src/api/names.ts';
import { createNodes, serverSideApply, waitForNodesReady } from '../../src/controlplane/setup.ts';
import { getTestCluster } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';
import { recordFigures } from '../support/report.ts';
import { recordedPodLog } from '../operator/support/harness.ts';
import { startFaultCluster } from '../faults/support/fault-cluster.ts';
import type { FaultCluster } from '../faults/support/fault-cluster.ts';
import { peakOperatorRss, spawnOperator } from '../faults/support/operator-process.ts';
import type { OperatorProcess } from '../faults/support/operator-process.ts';
import { FULL, size } from '../faults/support/scale.ts';
import { goodRules } from '../faults/support/workload.ts';

const NAMESPACES = size(1, 10);
const RULE_SETS_PER_NS = 50;
const MONITORS_PER_NS = 5;
const NODES = size(3, 100);
const READY_TIMEOUT_MS = size(240_000, 1_500_000);

let own: FaultCluster | undefined;
let operator: OperatorProcess | undefined;
after(async () => {
  await operator?.stop();
  await own?.stop();
});

function objects(ns: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (let i = 0; i < RULE_SETS_PER_NS; i++) {
    const name = `rs-${i}`;
    out.push({ apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata: { name, namespace: ns, labels: { group: String(i % MONITORS_PER_NS) } }, spec: { rules: goodRules(name, i) } } as KubernetesObject);
  }
  for (let m = 0; m < MONITORS_PER_NS; m++) {
    out.push({ apiVersion: API_GROUP_VERSION, kind: 'FalcoMonitor', metadata: { name: `m-${m}`, namespace: ns }, spec: { image: { tag: '0.42.1' }, ruleSets: { selector: { matchLabels: { group: String(m) } } } } } as KubernetesObject);
  }
  return out;
}

interface Counted {
  ruleSetsReady: number;
  monitorsReady: number;
}

async function count(kc: KubeConfig, namespaces: readonly string[]): Promise<Counted> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const ready = (items: Array<{ status?: { conditions?: Array<{ type: string; status: string }>; appliedRuleSetCount?: number } }>, extra: (s: { appliedRuleSetCount?: number } | undefined) => boolean): number =>
    items.filter((i) => i.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true && extra(i.status)).length;
  let ruleSetsReady = 0;
  let monitorsReady = 0;
  for (const namespace of namespaces) {
    const list = async (plural: string): Promise<Array<{ status?: { conditions?: Array<{ type: string; status: string }>; appliedRuleSetCount?: number } }>> =>
      ((await api.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace, plural })) as { items: [] }).items;
    ruleSetsReady += ready(await list(RULESET_PLURAL), () => true);
    monitorsReady += ready(await list(MONITOR_PLURAL), (s) => s?.appliedRuleSetCount === RULE_SETS_PER_NS / MONITORS_PER_NS);
  }
  return { ruleSetsReady, monitorsReady };
}

describe('the operator under load', () => {
  it(`reconciles ${NAMESPACES * RULE_SETS_PER_NS} rule sets and ${NAMESPACES * MONITORS_PER_NS} monitors on ${NODES} nodes to Ready`, { timeout: READY_TIMEOUT_MS + 600_000 }, async (t: TestContext) => {
    let cluster: TestCluster;
    if (FULL) {
      own = await startFaultCluster('load', 3);
      const kc = own.kubeConfig();
      await waitForNodesReady(kc, await createNodes(kc, NODES - 3, 3), 300_000);
      cluster = own.test;
    } else {
      cluster = await getTestCluster();
      await installCrds(cluster.kubeConfig());
    }
    const kc = cluster.kubeConfig();
    const namespaces: string[] = [];
    for (let i = 0; i < NAMESPACES; i++) {
      const ns = await cluster.createNamespace('load');
      await cluster.setVerificationOutcome(ns, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
      namespaces.push(ns);
    }
    const logDir = mkdtempSync(join(tmpdir(), 'falconer-load-'));
    // On the shared cluster it must watch only its namespace; on its own cluster, all of them.
    operator = spawnOperator({ kubeconfigPath: cluster.kubeconfigPath, logDir, name: 'operator-load', ...(FULL ? {} : { namespace: namespaces[0] ?? '' }) });
    const started = Date.now();
    for (const ns of namespaces) await serverSideApply(kc, objects(ns));
    const want: Counted = { ruleSetsReady: NAMESPACES * RULE_SETS_PER_NS, monitorsReady: NAMESPACES * MONITORS_PER_NS };
    let last: Counted = { ruleSetsReady: 0, monitorsReady: 0 };
    while (Date.now() - started < READY_TIMEOUT_MS) {
      last = await count(kc, namespaces).catch(() => last);
      if (last.ruleSetsReady === want.ruleSetsReady && last.monitorsReady === want.monitorsReady) break;
      await sleep(2_000);
    }
    const seconds = (Date.now() - started) / 1000;
    recordFigures('load/operator', { scenariosRun: 1, peakOperatorMemoryBytes: peakOperatorRss() });
    t.diagnostic(`${last.ruleSetsReady} rule sets and ${last.monitorsReady} monitors Ready after ${seconds.toFixed(0)} s; operator peak RSS ${(peakOperatorRss() / 1048576).toFixed(0)} MiB`);
    assert.ok(operator.alive(), `the operator died; log: ${operator.logFile}`);
    assert.deepEqual(last, want);
  });
});
