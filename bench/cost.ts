/**
 * Operator cost at scale: N rule sets and M monitors in one namespace (each monitor selects
 * N/M rule sets by label), on the cluster's 3 nodes. The in-process operator converges them;
 * then a full resync (every rule set and monitor reconciled, nothing changed) is counted: API
 * requests, writes, CPU. Finally the shipped `falconer operator` runs as its own process on the
 * same objects for its CPU from cold and its peak RSS (bench/child-operator.ts).
 */
import { cpuUsage } from 'node:process';
import { applier, inParallel, rulesText } from './cluster.ts';
import type { BenchCluster } from './cluster.ts';
import { measureChildOperator, shippedOperator } from './child-operator.ts';
import type { ChildFigures, OperatorLaunch } from './child-operator.ts';
import { startBenchOperator } from './operator-env.ts';
import type { BenchOperator } from './operator-env.ts';
import type { Report } from './report.ts';
import { repeat, summarise } from './stats.ts';

const SECTION = '3 operator cost';

interface ShippedOperator {
  deployed: OperatorLaunch;
  defaults: OperatorLaunch;
}

interface Size {
  ruleSets: number;
  monitors: number;
}

interface Resync {
  cpuSeconds: number;
  requests: number;
  writes: number;
  reconciles: number;
  wallMs: number;
}

export async function populate(bench: BenchCluster, ns: string, size: Size): Promise<void> {
  const apply = applier(bench.kc);
  const ruleSets = Array.from({ length: size.ruleSets }, (_, i) => i);
  await inParallel(ruleSets, 8, (i) => apply.ruleSet(ns, `rs-${i}`, rulesText(`Rule ${i}`), { group: `g${i % size.monitors}` }));
  const monitors = Array.from({ length: size.monitors }, (_, j) => j);
  await inParallel(monitors, 8, (j) => apply.monitor(ns, `m-${j}`, { ruleSets: { selector: { matchLabels: { group: `g${j}` } } } }));
}

async function fullResync(operator: BenchOperator): Promise<Resync> {
  const before = await operator.reconciles();
  const mark = operator.requests.mark();
  const cpu = cpuUsage();
  const started = performance.now();
  operator.op.resync();
  await operator.settle(120_000, 300);
  // The quiet period settle() waits for is idle time: it adds almost no CPU, but not wall time.
  const wallMs = performance.now() - started - 300;
  const used = cpuUsage(cpu);
  const requests = operator.requests.since(mark).length;
  return {
    cpuSeconds: (used.user + used.system) / 1e6,
    requests,
    writes: operator.requests.writesSince(mark).length,
    reconciles: (await operator.reconciles()) - before,
    wallMs,
  };
}

export async function benchCostAt(bench: BenchCluster, report: Report, size: Size, options: { child: ShippedOperator | undefined; runs: number; childRuns: number }): Promise<void> {
  const label = `${size.ruleSets} rule sets / ${size.monitors} monitors`;
  const ns = await bench.createNamespace(`bench-cost${size.ruleSets}`);
  await bench.verifySucceeds(ns);
  try {
    await populate(bench, ns, size);
    const operator = await startBenchOperator(bench.kc, ns);
    let settled: boolean;
    const startCpu = cpuUsage();
    const startWall = performance.now();
    try {
      settled = await operator.settle(300_000, 2_000);
      const converge = cpuUsage(startCpu);
      report.add({
        section: SECTION,
        name: `first convergence, ${label}, in-process (${settled ? 'settled' : 'NOT settled in 300 s'})`,
        unit: 's',
        value: (converge.user + converge.system) / 1e6,
        note: `CPU s; ${((performance.now() - startWall) / 1000).toFixed(1)} s wall incl. ${size.monitors} verification Jobs`,
      });
      const runs: Resync[] = [];
      await repeat({ runs: options.runs, budgetMs: 60_000, minRuns: 1 }, async () => {
        runs.push(await fullResync(operator));
        return 0;
      });
      const cpu = summarise(runs.map((r) => r.cpuSeconds));
      const last = runs[runs.length - 1];
      const big = size.ruleSets >= 1000;
      report.add({
        section: SECTION,
        name: `full resync, ${label}: operator CPU (in-process)`,
        unit: 's',
        value: cpu,
        note: `${summarise(runs.map((r) => r.wallMs)).median.toFixed(0)} ms wall, ${last?.reconciles ?? 0} reconciles`,
        ...(big ? { goal: { text: '< 2 s CPU', met: cpu.median < 2 } } : {}),
      });
      report.add({ section: SECTION, name: `full resync, ${label}: API requests`, unit: 'req', value: last?.requests ?? NaN });
      report.add({
        section: SECTION,
        name: `full resync, ${label}: write requests`,
        unit: 'writes',
        value: last?.writes ?? NaN,
        goal: { text: '0 (nothing changed)', met: last?.writes === 0 },
      });
    } finally {
      await operator.stop();
    }
    if (options.child !== undefined) {
      // The same converged objects, the shipped CLI restarted on them: as deployed, then with
      // Node's defaults, side by side.
      for (const launch of [options.child.deployed, options.child.defaults]) {
        const deployed = launch === options.child.deployed;
        const runs: ChildFigures[] = [];
        for (let i = 0; i < options.childRuns; i += 1) runs.push(await measureChildOperator(launch, bench.cluster.kubeconfigPath, ns, 300_000));
        const unsettled = runs.filter((r) => !r.settled).length;
        const state = `settled after ${summarise(runs.map((r) => r.settleSeconds)).median.toFixed(1)} s${unsettled > 0 ? `; ${unsettled} run(s) did not settle in 300 s` : ''}`;
        report.add({ section: SECTION, name: `falconer operator process (${launch.label}), ${label}: CPU from exec to settled`, unit: 's', value: summarise(runs.map((r) => r.cpuSeconds)), note: `${state}; incl. Node start-up and module loading` });
        const rss = summarise(runs.map((r) => r.peakRssMb));
        report.add({
          section: SECTION,
          name: `falconer operator process (${launch.label}), ${label}: peak RSS (VmHWM)`,
          unit: 'MB',
          value: rss,
          // Issue 18: ≤ 110 MB at 1000 rule sets / 100 monitors (was < 200 MB before the bundle).
          ...(deployed ? (size.ruleSets >= 1000 ? { goal: { text: '≤ 110 MB', met: rss.median <= 110 } } : {}) : { note: 'for comparison' }),
        });
      }
    }
  } finally {
    await bench.deleteNamespace(ns);
  }
}

export async function benchCost(bench: BenchCluster, report: Report, options: { quick: boolean }): Promise<void> {
  const shipped = await shippedOperator();
  // The same process on an empty namespace: what Node, the modules and the idle caches cost.
  const empty = await bench.createNamespace('bench-empty');
  try {
    for (const launch of [shipped.deployed, shipped.defaults]) {
      const runs: ChildFigures[] = [];
      for (let i = 0; i < 3; i += 1) runs.push(await measureChildOperator(launch, bench.cluster.kubeconfigPath, empty, 60_000));
      report.add({ section: SECTION, name: `falconer operator process (${launch.label}), empty namespace: CPU from exec to settled`, unit: 's', value: summarise(runs.map((r) => r.cpuSeconds)), note: 'baseline' });
      report.add({ section: SECTION, name: `falconer operator process (${launch.label}), empty namespace: peak RSS (VmHWM)`, unit: 'MB', value: summarise(runs.map((r) => r.peakRssMb)), note: 'baseline' });
    }
  } finally {
    await bench.deleteNamespace(empty);
  }
  await benchCostAt(bench, report, { ruleSets: 100, monitors: 10 }, { child: options.quick ? undefined : shipped, runs: 3, childRuns: 3 });
  await benchCostAt(bench, report, { ruleSets: 1000, monitors: 100 }, { child: shipped, runs: options.quick ? 2 : 3, childRuns: options.quick ? 2 : 5 });
}
