/**
 * FalcoMonitor created → DaemonSet created → Falco Ready on every node, on N simulated nodes.
 * Beside it, measured in the same runs: a bare DaemonSet (no operator) created → N pods Ready,
 * which is what Kubernetes + kwok alone take to roll out that many pods, and the verification
 * Job every first bundle passes through (simulator time).
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { KubernetesObject, V1DaemonSet } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, MONITOR_PLURAL } from '../src/api/names.ts';
import { applier, rulesText } from './cluster.ts';
import type { BenchCluster } from './cluster.ts';
import { monitorReady } from './monitor-state.ts';
import { startLatencyEnv } from './latency-env.ts';
import { repeat, summarise } from './stats.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadySamples {
  nodes: number;
  floor: number[];
  toDaemonSet: number[];
  toReady: number[];
  job: number[];
  bareRollout: number[];
}

const IMAGE = 'falcosecurity/falco:0.42.1';

function bareDaemonSet(name: string): V1DaemonSet {
  const labels = { 'falconer.dev/bench': name };
  return {
    metadata: { name, labels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'falco', image: IMAGE }] } } },
  };
}

function allReady(obj: KubernetesObject, name: string, nodes: number): boolean {
  const s = (obj as V1DaemonSet).status;
  return obj.metadata?.name === name && s?.desiredNumberScheduled === nodes && s.numberReady === nodes;
}

export async function measureReady(bench: BenchCluster, options: { runs: number; budgetMs: number; timeoutMs: number }): Promise<ReadySamples> {
  const { kc } = bench;
  const nodes = bench.nodeCount();
  const ns = await bench.createNamespace(`bench-ready${nodes}`);
  await bench.verifySucceeds(ns);
  const apply = applier(kc);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const env = await startLatencyEnv(bench, kc, ns);
  const { floor, jobs, daemonSets, monitors, operator } = env;
  const out: ReadySamples = { nodes, floor: [], toDaemonSet: [], toReady: [], job: [], bareRollout: [] };
  try {
    await apply.ruleSet(ns, 'team', rulesText('Team rule'));
    await operator.settle(30_000);
    await repeat({ runs: options.runs, budgetMs: options.budgetMs, minRuns: 1 }, async (run) => {
      out.floor.push(await floor.once());
      // The bare rollout first, then removed, so the monitor's pods do not share the nodes' kwok work with it.
      const bare = `bare-${run}`;
      const bareReady = daemonSets.waitFor((d) => allReady(d, bare, nodes), options.timeoutMs, `${bare} Ready on ${nodes} nodes`);
      let started = performance.now();
      await apps.createNamespacedDaemonSet({ namespace: ns, body: bareDaemonSet(bare) });
      out.bareRollout.push((await bareReady) - started);
      await apps.deleteNamespacedDaemonSet({ name: bare, namespace: ns, propagationPolicy: 'Background' });
      await waitForPods(bench, ns, 0, options.timeoutMs);

      const monitor = `m${run}`;
      const dsCreated = daemonSets.waitFor((d) => d.metadata?.name === `${monitor}-falco`, options.timeoutMs, `${monitor} DaemonSet`);
      const ready = monitors.waitFor((m) => monitorReady(m, monitor, nodes), options.timeoutMs, `${monitor} Ready on ${nodes} nodes`);
      started = performance.now();
      await apply.monitor(ns, monitor, { ruleSets: { names: ['team'] } });
      out.toDaemonSet.push((await dsCreated) - started);
      out.toReady.push((await ready) - started);
      out.job.push(jobs.durationSince(monitor, started));
      // Clean up for the next run: the monitor first, so the operator cannot put its DaemonSet back.
      await custom.deleteNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural: MONITOR_PLURAL, name: monitor });
      await operator.settle(30_000);
      await sleep(200);
      await apps.deleteNamespacedDaemonSet({ name: `${monitor}-falco`, namespace: ns, propagationPolicy: 'Background' }).catch(() => undefined);
      await waitForPods(bench, ns, 0, options.timeoutMs);
      return 0;
    });
    return out;
  } finally {
    await env.close();
  }
}

/** Bounded wait until the namespace has at most `count` pods (deletion goes through kwok). */
async function waitForPods(bench: BenchCluster, ns: string, count: number, timeoutMs: number): Promise<void> {
  const core = bench.kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pods = await core.listNamespacedPod({ namespace: ns, limit: 500 });
    const left = pods.items.filter((p) => p.metadata?.labels?.['app.kubernetes.io/component'] !== 'verification').length;
    if (left <= count) return;
    await sleep(250);
  }
}

const SECTION = '2 operator latency';

function minus(a: readonly number[], ...others: ReadonlyArray<readonly number[]>): number[] {
  return a.map((x, i) => others.reduce((acc, o) => acc - (o[i] ?? NaN), x));
}

export function reportReady(report: import('./report.ts').Report, s: ReadySamples): void {
  const n = s.nodes;
  const floor = summarise(s.floor);
  const toDs = summarise(s.toDaemonSet);
  const dsShare = summarise(minus(s.toDaemonSet, s.job));
  report.add({ section: SECTION, name: `monitor created → DaemonSet created (${n} nodes)`, unit: 'ms', value: toDs });
  report.add({ section: SECTION, name: `  operator share = → DaemonSet − Job; / floor (${floor.median.toFixed(1)} ms)`, unit: 'x', value: dsShare.median / floor.median, note: `${dsShare.median.toFixed(0)} ms` });
  report.add({ section: SECTION, name: `monitor created → Ready on ${n} nodes`, unit: 'ms', value: summarise(s.toReady) });
  report.add({ section: SECTION, name: `  of which the verification Job (simulator time)`, unit: 'ms', value: summarise(s.job) });
  report.add({ section: SECTION, name: `  floor: bare DaemonSet created → ${n} pods Ready (no operator)`, unit: 'ms', value: summarise(s.bareRollout) });
  const share = summarise(minus(s.toReady, s.job, s.bareRollout));
  report.add({ section: SECTION, name: `  operator share = Ready − Job − bare rollout`, unit: 'ms', value: share });
  const base = summarise(s.job.map((j, i) => j + (s.bareRollout[i] ?? NaN)));
  report.add({ section: SECTION, name: `  Ready / (Job + bare rollout)`, unit: 'x', value: summarise(s.toReady).median / base.median });
}
