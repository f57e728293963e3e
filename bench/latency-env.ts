import type { KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, MONITOR_PLURAL } from '../src/api/names.ts';
import type { BenchCluster } from './cluster.ts';
import { writeWatchFloor } from './floor.ts';
import { JobClock } from './jobs.ts';
import { startBenchOperator } from './operator-env.ts';
import type { BenchOperator } from './operator-env.ts';
import { WatchHub } from './watch.ts';

/** What both latency benchmarks watch while the operator works in their namespace. */
export interface LatencyEnv {
  floor: Awaited<ReturnType<typeof writeWatchFloor>>;
  jobs: JobClock;
  daemonSets: WatchHub;
  monitors: WatchHub;
  operator: BenchOperator;
  close(): Promise<void>;
}

/** Floor probe, Job clock and watches first, then the operator, so no event is missed. */
export async function startLatencyEnv(bench: BenchCluster, kc: KubeConfig, ns: string): Promise<LatencyEnv> {
  const floor = await writeWatchFloor(kc, ns);
  const jobs = new JobClock(kc, ns);
  const daemonSets = new WatchHub(kc, `/apis/apps/v1/namespaces/${ns}/daemonsets`);
  const monitors = new WatchHub(kc, `/apis/${API_GROUP}/${API_VERSION}/namespaces/${ns}/${MONITOR_PLURAL}`);
  await Promise.all([jobs.start(), daemonSets.watch.start(), monitors.watch.start()]);
  const operator = await startBenchOperator(kc, ns);
  return {
    floor,
    jobs,
    daemonSets,
    monitors,
    operator,
    async close() {
      await operator.stop();
      floor.close();
      jobs.stop();
      daemonSets.watch.stop();
      monitors.watch.stop();
      await bench.deleteNamespace(ns);
    },
  };
}
