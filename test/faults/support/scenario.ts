/**
 * One fault scenario: a stream of rule-set and monitor edits in a fresh namespace while faults
 * are injected at chosen points, then the checks every scenario shares: the final state equals
 * what the last edits ask for, nothing is duplicated, and no DaemonSet ever ran an unverified
 * bundle. The operator is the caller's business (in-process, a process, two replicas).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, MONITOR_PLURAL } from '../../../src/api/names.ts';
import type { TestCluster } from '../../support/cluster.ts';
import { recordedPodLog } from '../../operator/support/harness.ts';
import { childProblems, recreated } from './children.ts';
import { distinctTemplates, unverifiedExposures } from './exposures.ts';
import { Recorder } from './recorder.ts';
import { Workload, applyEdit, staleObjects } from './workload.ts';
import type { WorkloadShape } from './workload.ts';

export interface Fault {
  /** Injected when this many stream edits have been acknowledged. */
  atEdit: number;
  name: string;
  /** Breaks something and repairs it; edits keep flowing meanwhile. */
  inject: () => Promise<void>;
}

export interface ScenarioOptions {
  cluster: TestCluster;
  kc: KubeConfig;
  prefix: string;
  shape: WorkloadShape;
  edits: number;
  faults: Fault[];
  /** Pause between edits (default 300 ms), so reconciles and rollouts interleave with them. */
  paceMs?: number;
  /** Upper bound for the stream itself; the edits left are skipped (and reported). */
  streamBudgetMs?: number;
  settleTimeoutMs?: number;
  seed?: number;
  /** Called with the namespace before any edit (e.g. to start an operator watching it). */
  onNamespace?: (namespace: string) => Promise<void>;
}

export interface ScenarioResult {
  namespace: string;
  editsAcknowledged: number;
  faultsInjected: number;
  /** Objects whose final state does not reflect their last acknowledged edit. */
  stale: string[];
  children: string[];
  recreatedJobs: string[];
  exposures: string[];
  watchGaps: number;
  /** Distinct (monitor, bundle, image) pod templates the exposure check judged. */
  templatesChecked: number;
  settleMs: number;
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const namespace = await o.cluster.createNamespace(o.prefix);
  await o.cluster.setVerificationOutcome(namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  await o.onNamespace?.(namespace);
  const w = new Workload(namespace, o.shape, o.seed);
  const recorder = new Recorder(o.kc, namespace);
  try {
    await recorder.start();
    for (const edit of w.initialEdits()) await applyEdit(o.kc, w, edit);
    // Falco runs first, so that the stream's edits are rollouts of running monitors (the moment
    // an unverified bundle could slip through), not one first deployment of the final state.
    const initial = await settle(o.kc, w, o.settleTimeoutMs ?? 180_000);
    if (initial.stale.length + initial.children.length > 0) throw new Error(`The initial objects did not converge: ${[...initial.stale, ...initial.children].join('; ')}`);
    const running: Array<Promise<void>> = [];
    const pending = [...o.faults].sort((a, b) => a.atEdit - b.atEdit);
    const deadline = Date.now() + (o.streamBudgetMs ?? 600_000);
    let injected = 0;
    for (let i = 0; i < o.edits && Date.now() < deadline; i++) {
      while (pending[0] !== undefined && pending[0].atEdit <= i) {
        const fault = pending.shift();
        if (fault === undefined) break;
        injected += 1;
        running.push(fault.inject().catch((err: unknown) => {
          throw new Error(`Fault "${fault.name}" could not be injected or repaired`, { cause: err });
        }));
      }
      await applyEdit(o.kc, w, w.nextEdit());
      await sleep(o.paceMs ?? 300);
    }
    await Promise.all(running);
    const settleStart = Date.now();
    const { stale, children } = await settle(o.kc, w, o.settleTimeoutMs ?? 180_000);
    recorder.events.push(...(await controllerRevisions(o.kc, namespace)));
    return {
      namespace,
      editsAcknowledged: w.editCount,
      faultsInjected: injected,
      stale,
      children,
      recreatedJobs: recreated(recorder, 'Job'),
      exposures: unverifiedExposures(recorder.events),
      watchGaps: recorder.gaps,
      templatesChecked: distinctTemplates(recorder.events),
      settleMs: Date.now() - settleStart,
    };
  } finally {
    recorder.stop();
  }
}

/** Polls until nothing is stale and every child is right, or the deadline; returns what is left. */
async function settle(kc: KubeConfig, w: Workload, timeoutMs: number): Promise<{ stale: string[]; children: string[] }> {
  const deadline = Date.now() + timeoutMs;
  let last = { stale: ['not checked yet'], children: [] as string[] };
  while (Date.now() < deadline) {
    try {
      const stale = await staleObjects(kc, w);
      const children = stale.length === 0 ? await childProblems(kc, w, await statusBundles(kc, w.namespace)) : [];
      last = { stale, children };
      if (stale.length === 0 && children.length === 0) return last;
    } catch (err) {
      last = { stale: [`could not read the cluster: ${String(err)}`], children: [] };
    }
    await sleep(500);
  }
  return last;
}

async function statusBundles(kc: KubeConfig, namespace: string): Promise<Map<string, string | undefined>> {
  const res = (await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace, plural: MONITOR_PLURAL })) as {
    items: Array<{ metadata?: { name?: string }; status?: { bundleHash?: string } }>;
  };
  return new Map(res.items.map((m) => [m.metadata?.name ?? '', m.status?.bundleHash]));
}

/** The DaemonSet controller's own history of pod templates: a second witness of every revision. */
async function controllerRevisions(kc: KubeConfig, namespace: string): Promise<Array<{ kind: string; type: string; rv: number; obj: KubernetesObject & Record<string, unknown> }>> {
  const list = await kc.makeApiClient(AppsV1Api).listNamespacedControllerRevision({ namespace });
  return list.items.map((r) => ({
    kind: 'ControllerRevision',
    type: 'LISTED',
    rv: Number(r.metadata?.resourceVersion ?? 0),
    obj: JSON.parse(JSON.stringify(r)) as KubernetesObject & Record<string, unknown>,
  }));
}
