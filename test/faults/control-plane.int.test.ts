/**
 * Faults in the control plane while rule sets and monitors are being edited: the API server and
 * etcd are killed with SIGKILL and restarted, the operator's connection is cut at a loopback TCP
 * proxy and restored, and etcd's history is compacted so that resumed watches get 410 Gone.
 * These kill components, so they run on a private cluster, never on the run's shared one.
 *
 * The operator runs as `falconer operator` in its own process, talking through the proxy. kwok
 * plays the kubelets; verification pods print a recorded real Falco 0.42.1 `-V` output.
 */
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';
import { startFaultCluster } from './support/fault-cluster.ts';
import type { FaultCluster } from './support/fault-cluster.ts';
import { spawnOperator } from './support/operator-process.ts';
import type { OperatorProcess } from './support/operator-process.ts';
import { runScenario } from './support/scenario.ts';
import type { Fault, ScenarioResult } from './support/scenario.ts';
import { describeRun, report, size, verdict } from './support/scale.ts';

const EDITS = size(20, 200);
const SHAPE = size({ ruleSets: 4, monitors: 2 }, { ruleSets: 8, monitors: 3 });
/** How often each fault recurs within one stream (at evenly spaced edits). */
const REPEATS = size(1, 4);

let fc: FaultCluster;
let proxy: TcpProxy;
let operator: OperatorProcess;

before(async () => {
  fc = await startFaultCluster('faults-cp');
  proxy = await startTcpProxy({ host: '127.0.0.1', port: fc.apiServerPort });
  const logDir = mkdtempSync(join(tmpdir(), 'falconer-faults-'));
  operator = spawnOperator({ kubeconfigPath: fc.kubeconfigVia(proxy.port), logDir, name: 'operator-cp' });
});

after(async () => {
  await operator?.stop();
  await proxy?.close();
  await fc?.stop();
});

function spaced(name: string, inject: () => Promise<void>): Fault[] {
  return Array.from({ length: REPEATS }, (_, i) => ({ atEdit: Math.floor(((i + 1) * EDITS) / (REPEATS + 1)), name, inject }));
}

async function scenario(t: TestContext, prefix: string, faults: Fault[]): Promise<ScenarioResult> {
  const result = await runScenario({ cluster: fc.test, kc: fc.kubeConfig(), prefix, shape: SHAPE, edits: EDITS, faults });
  report(`faults/control-plane/${prefix}`, result);
  t.diagnostic(describeRun(result));
  assert.ok(operator.alive(), `the operator process died; its log: ${operator.logFile}`);
  assert.equal(verdict(result), undefined);
  assert.equal(result.faultsInjected, faults.length);
  return result;
}

describe('the operator under control-plane faults', () => {
  it('converges with no lost edit and no unverified bundle when the API server is killed and restarted mid-stream', async (t) => {
    await scenario(t, 'kill-apiserver', spaced('kill -9 kube-apiserver', () => fc.crash('kube-apiserver', 1_000)));
  });

  it('converges when etcd is killed and restarted mid-stream', async (t) => {
    await scenario(t, 'kill-etcd', spaced('kill -9 etcd', () => fc.crash('etcd', 1_000)));
  });

  it('converges when its connection to the API server is cut and restored', async (t) => {
    await scenario(t, 'cut-link', spaced('cut the operator\'s link', async () => {
      proxy.cut();
      await sleep(3_000);
      proxy.restore();
    }));
  });

  it('converges when its watches expire (410 Gone) after etcd compacts the history', async (t) => {
    let expired = 0;
    const result = await scenario(t, 'watch-expiry', spaced('compact etcd, restart the API server', async () => {
      const before = await oldResourceVersion();
      await fc.compactEtcd();
      // A clean restart ends every watch without error: clients resume from their last
      // resourceVersion, which is gone now, so the API server answers 410 Gone and they relist.
      await fc.restartGracefully('kube-apiserver');
      if (await watchIsGone(before)) expired += 1;
    }));
    assert.equal(expired, REPEATS, 'a watch resumed from before the compaction got 410 Gone');
    assert.ok(result.editsAcknowledged >= EDITS);
  });
});

/** The resourceVersion of the default namespace: a revision from before the compaction. */
async function oldResourceVersion(): Promise<string> {
  const res = await fc.kubeConfig().makeApiClient(CoreV1Api).readNamespace({ name: 'default' });
  return res.metadata?.resourceVersion ?? '1';
}

/** Resuming a watch from `rv` is refused with 410 Gone (an ERROR event with code 410). */
async function watchIsGone(rv: string): Promise<boolean> {
  const watch = new Watch(fc.kubeConfig());
  return new Promise<boolean>((resolve) => {
    let gone = false;
    const timer = setTimeout(() => resolve(gone), 10_000);
    void watch
      .watch('/api/v1/namespaces', { resourceVersion: rv }, (type: string, obj: { code?: number }) => {
        if (type === 'ERROR' && obj.code === 410) gone = true;
      }, (err: unknown) => {
        clearTimeout(timer);
        resolve(gone || String(err).includes('410'));
      })
      .then((req) => setTimeout(() => req.abort(), 9_000).unref());
  });
}
