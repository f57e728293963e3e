/**
 * Faults in the operator itself, on the run's shared cluster (nothing here harms it): the
 * operator process is SIGKILLed at random points of an edit stream and started again; two
 * replicas run with leader election and the leader is SIGKILLed repeatedly (it never releases
 * its Lease, so the standby must wait the Lease out); several writers edit the same objects at
 * once. Every operator watches only its scenario's namespace.
 *
 * kwok plays the kubelets; verification pods print a recorded real Falco 0.42.1 `-V` output.
 */
import { after, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoordinationV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, RULESET_PLURAL } from '../../src/api/names.ts';
import { serverSideApply } from '../../src/controlplane/setup.ts';
import { recordFigures } from '../support/report.ts';
import { recordedPodLog } from '../operator/support/harness.ts';
import { childProblems, recreated } from './support/children.ts';
import { unverifiedExposures } from './support/exposures.ts';
import { Recorder } from './support/recorder.ts';
import { Workload, staleObjects } from './support/workload.ts';
import { runWriter, tokenRules, tokensOf } from './support/writers.ts';
import { installCrds } from '../../src/api/install.ts';
import { getTestCluster } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';
import { eventually } from '../support/eventually.ts';
import { spawnOperator } from './support/operator-process.ts';
import type { OperatorProcess } from './support/operator-process.ts';
import { runScenario } from './support/scenario.ts';
import type { Fault } from './support/scenario.ts';
import { describeRun, report, size, verdict } from './support/scale.ts';

const EDITS = size(20, 200);
const SHAPE = size({ ruleSets: 4, monitors: 2 }, { ruleSets: 8, monitors: 3 });
const logDir = mkdtempSync(join(tmpdir(), 'falconer-faults-op-'));
const processes: OperatorProcess[] = [];
after(async () => Promise.all(processes.map((p) => p.stop())));

let shared: Promise<TestCluster> | undefined;
async function cluster(): Promise<TestCluster> {
  shared ??= getTestCluster().then(async (c) => {
    await installCrds(c.kubeConfig());
    return c;
  });
  return shared;
}

function start(c: TestCluster, name: string, namespace: string, leaderElect: boolean): OperatorProcess {
  const p = spawnOperator({ kubeconfigPath: c.kubeconfigPath, logDir, name, namespace, ...(leaderElect ? { leaseNamespace: namespace } : {}) });
  processes.push(p);
  return p;
}

/** Seeded positions in the stream, so a failing run can be replayed. */
function randomPoints(count: number, edits: number, seed: number): number[] {
  let s = seed;
  const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  return Array.from({ length: count }, () => 1 + Math.floor(next() * (edits - 2))).sort((a, b) => a - b);
}

describe('the operator under its own faults', () => {
  it('loses no edit and runs no unverified bundle when it is SIGKILLed at random points and restarted', async (t: TestContext) => {
    const c = await cluster();
    let current: OperatorProcess | undefined;
    let n = 0;
    const kills = size(1, 10);
    const faults: Fault[] = randomPoints(kills, EDITS, 7).map((atEdit, i) => ({
      atEdit,
      name: 'kill -9 the operator',
      inject: async () => {
        // A random moment inside the reconciles this edit triggered.
        await sleep(((i * 397) % 1500) + 50);
        await current?.kill9();
        if (current !== undefined) current = start(c, `op-kill-${++n}`, current.namespace, false);
      },
    }));
    const result = await runScenario({
      cluster: c,
      kc: c.kubeConfig(),
      prefix: 'faults-opkill',
      shape: SHAPE,
      edits: EDITS,
      faults,
      onNamespace: async (ns) => void (current = start(c, `op-kill-${n}`, ns, false)),
    });
    report('faults/operator/kill', result);
    t.diagnostic(describeRun(result));
    assert.equal(verdict(result), undefined);
    assert.equal(result.faultsInjected, kills);
  });

  it('hands over to the standby with nothing lost when the leader is SIGKILLed repeatedly', async (t: TestContext) => {
    const c = await cluster();
    const replicas = new Map<string, OperatorProcess>();
    let n = 0;
    const add = async (ns: string): Promise<void> => {
      const p = start(c, `op-leader-${++n}`, ns, true);
      replicas.set(await p.identity(), p);
    };
    const kills = size(1, 4);
    const faults: Fault[] = randomPoints(kills, EDITS, 11).map((atEdit) => ({
      atEdit,
      name: 'kill -9 the leader',
      inject: async () => {
        const ns = [...replicas.values()][0]?.namespace ?? '';
        const leases = c.kubeConfig().makeApiClient(CoordinationV1Api);
        let holder = '';
        await eventually('a replica to hold the Lease', async () => {
          holder = (await leases.readNamespacedLease({ name: 'falconer-operator', namespace: ns })).spec?.holderIdentity ?? '';
          return replicas.has(holder);
        }, 60_000, 200);
        const leader = replicas.get(holder);
        replicas.delete(holder);
        await leader?.kill9();
        // The Deployment would start a new pod: keep two replicas.
        await add(ns);
      },
    }));
    const result = await runScenario({
      cluster: c,
      kc: c.kubeConfig(),
      prefix: 'faults-leader',
      shape: SHAPE,
      edits: EDITS,
      faults,
      onNamespace: async (ns) => {
        await add(ns);
        await add(ns);
      },
    });
    report('faults/operator/leader', result);
    t.diagnostic(describeRun(result));
    assert.equal(verdict(result), undefined);
    assert.equal(result.faultsInjected, kills);
  });

  it('keeps every concurrent writer\'s edit (conflicts retried) and converges on what was stored last', async (t: TestContext) => {
    const c = await cluster();
    const kc = c.kubeConfig();
    const ns = await c.createNamespace('faults-writers');
    await c.setVerificationOutcome(ns, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
    start(c, 'op-writers', ns, false);
    const recorder = new Recorder(kc, ns);
    try {
      await recorder.start();
      const names = ['rs-0', 'rs-1', 'rs-2'];
      await serverSideApply(kc, [
        ...names.map((name) => ({ apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata: { name, namespace: ns }, spec: { rules: tokenRules(name, []) } })),
        { apiVersion: API_GROUP_VERSION, kind: 'FalcoMonitor', metadata: { name: 'm-0', namespace: ns }, spec: { image: { tag: '0.42.1' }, ruleSets: { names }, podAnnotations: { 'falconer.dev/test-edit': 'initial' } } },
      ] as never);
      const writers = size(4, 6);
      const deadline = Date.now() + size(60_000, 300_000);
      const stats = await Promise.all(Array.from({ length: writers }, (_, i) => runWriter(kc, ns, names, i, size(8, 50), deadline)));
      const acknowledged = stats.flatMap((s) => s.acknowledged);
      const conflicts = stats.reduce((n, s) => n + s.conflicts, 0);

      // What was stored last is what the operator must converge on.
      const api = kc.makeApiClient(CustomObjectsApi);
      const w = new Workload(ns, { ruleSets: names.length, monitors: 1 });
      const lost: string[] = [];
      for (const name of names) {
        const stored = (await api.getNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural: RULESET_PLURAL, name })) as { spec: { rules: string } };
        w.ruleSets.set(name, stored.spec.rules);
        const tokens = new Set(tokensOf(stored.spec.rules));
        lost.push(...acknowledged.filter((a) => a.startsWith(`${name}:`) && !tokens.has(a.slice(name.length + 1))));
      }
      w.monitors.set('m-0', { names, note: 'initial' });
      let stale: string[] = ['not checked'];
      let children: string[] = [];
      await eventually('the operator to converge on the stored edits', async () => {
        stale = await staleObjects(kc, w);
        const bundles = new Map([['m-0', ((await api.getNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural: 'falcomonitors', name: 'm-0' })) as { status?: { bundleHash?: string } }).status?.bundleHash]]);
        children = stale.length === 0 ? await childProblems(kc, w, bundles) : ['not checked'];
        return stale.length === 0 && children.length === 0;
      }, 180_000, 500).catch(() => undefined);
      const exposures = unverifiedExposures(recorder.events);
      recordFigures('faults/operator/writers', { scenariosRun: 1, editsLost: lost.length + stale.length, unverifiedBundleExposures: exposures.length });
      t.diagnostic(`${writers} writers, ${acknowledged.length} edits acknowledged, ${conflicts} conflicts retried`);
      assert.deepEqual(lost, [], 'every acknowledged token is in the stored rules');
      assert.deepEqual(stale, []);
      assert.deepEqual(children, []);
      assert.deepEqual(recreated(recorder, 'Job'), []);
      assert.deepEqual(exposures, []);
      assert.ok(acknowledged.length > 0);
    } finally {
      recorder.stop();
    }
  });
});
