/**
 * Rule-set edit → the DaemonSet references the new bundle, on 3 nodes, beside the bare
 * write→watch floor measured in the same runs. The edit's path crosses a verification Job; its
 * own time (simulator time: a kwok Stage ends it) is taken out to get the operator's share.
 */
import type { V1DaemonSet } from '@kubernetes/client-node';
import { BUNDLE_HASH_ANNOTATION } from '../src/operator/builders/bundle.ts';
import { applier, rulesText } from './cluster.ts';
import type { BenchCluster } from './cluster.ts';
import { startEditHops } from './edit-hops.ts';
import { startLatencyEnv } from './latency-env.ts';
import type { BenchOperator } from './operator-env.ts';
import type { Report } from './report.ts';
import { repeat, summarise } from './stats.ts';
import { bundleHashOf, monitorReady } from './monitor-state.ts';

const SECTION = '2 operator latency';
const MONITOR = 'main';

export interface EditFigures {
  floorMs: number[];
  /** Writes per reconcile when nothing changed, and reconciles in that resync. */
  noop: { writes: number; reads: number; reconciles: number } | undefined;
}

export async function benchEdit(bench: BenchCluster, report: Report, options: { quick: boolean }): Promise<EditFigures> {
  const { kc } = bench;
  const ns = await bench.createNamespace('bench-edit');
  await bench.verifySucceeds(ns);
  const apply = applier(kc);
  const env = await startLatencyEnv(bench, kc, ns);
  const { floor, jobs, daemonSets, monitors, operator } = env;
  const nodes = bench.nodeCount();
  try {
    await apply.ruleSet(ns, 'team', rulesText('Team rule', 0));
    const ready = monitors.waitFor((m) => monitorReady(m, MONITOR, nodes), 120_000, 'first Ready');
    await apply.monitor(ns, MONITOR, { ruleSets: { names: ['team'] } });
    await ready;
    await operator.settle(30_000);

    // The bundle the DaemonSet references now, kept current by its watch.
    const bundleOf = (o: unknown): string => (o as V1DaemonSet).spec?.template?.metadata?.annotations?.[BUNDLE_HASH_ANNOTATION] ?? '';
    let current = '';
    daemonSets.subscribe((d) => {
      if (d.metadata?.name === `${MONITOR}-falco` && bundleOf(d) !== '') current = bundleOf(d);
    });
    const floorMs: number[] = [];
    const e2e: number[] = [];
    const job: number[] = [];
    const share: number[] = [];
    const preJob: number[] = [];
    const postJob: number[] = [];
    const hops = await startEditHops(kc, ns);
    const jobHop: number[] = [];
    const dsHop: number[] = [];
    await repeat({ runs: options.quick ? 5 : 12, budgetMs: options.quick ? 60_000 : 150_000, minRuns: 3 }, async (run) => {
      floorMs.push(await floor.once());
      jobHop.push(await hops.job());
      dsHop.push(await hops.daemonSet());
      await operator.settle(30_000);
      const old = current;
      const dsDone = daemonSets.waitFor((d) => d.metadata?.name === `${MONITOR}-falco` && bundleOf(d) !== '' && bundleOf(d) !== old, 120_000, 'new bundle');
      const readyAgain = monitors.waitFor((m) => monitorReady(m, MONITOR, nodes) && bundleHashOf(m) !== old, 120_000, 'Ready after edit');
      const mark = operator.requests.mark();
      const started = performance.now();
      await apply.ruleSet(ns, 'team', rulesText('Team rule', run + 1));
      const total = (await dsDone) - started;
      const jobMs = jobs.durationSince(MONITOR, started);
      const phases = jobs.firstSince(MONITOR, started);
      if (phases !== undefined) {
        preJob.push(phases.added - started);
        postJob.push(total - ((phases.done ?? NaN) - started));
      }
      if (process.env['FALCONER_BENCH_TRACE'] === '1') {
        process.stderr.write(`edit ${run}: ${total.toFixed(1)} ms, job ${JSON.stringify(phases && { added: phases.added - started, done: (phases.done ?? NaN) - started })}\n  ${operator.requests.timeline(mark, started).join('\n  ')}\n`);
      }
      e2e.push(total);
      job.push(jobMs);
      share.push(total - jobMs);
      await readyAgain;
      await operator.settle(30_000);
      return total;
    });
    const floorSpread = summarise(floorMs);
    const shareSpread = summarise(share);
    const jobSpread = summarise(job);
    const e2eSpread = summarise(e2e);
    report.add({ section: SECTION, name: 'floor: bare client-node write → watch event', unit: 'ms', value: floorSpread });
    report.add({ section: SECTION, name: `rule-set edit → new bundle referenced by the DaemonSet (${nodes} nodes)`, unit: 'ms', value: e2eSpread });
    report.add({ section: SECTION, name: '  of which the verification Job (simulator time, kwok Stage decides)', unit: 'ms', value: jobSpread });
    report.add({ section: SECTION, name: '  operator share = edit → DaemonSet − Job', unit: 'ms', value: shareSpread });
    report.add({ section: SECTION, name: '    edit → verification Job created', unit: 'ms', value: summarise(preJob) });
    report.add({ section: SECTION, name: '    Job complete → DaemonSet references the bundle', unit: 'ms', value: summarise(postJob) });
    hops.close();
    const jobHopSpread = summarise(jobHop);
    const dsHopSpread = summarise(dsHop);
    report.add({ section: SECTION, name: '    the two writes the path needs, alone: verification Job apply → watch event', unit: 'ms', value: jobHopSpread });
    report.add({ section: SECTION, name: '    … DaemonSet apply (bundle changed) → watch event', unit: 'ms', value: dsHopSpread });
    report.add({
      section: SECTION,
      name: '    least this path can take: floor (the edit) + Job hop + DaemonSet hop',
      unit: 'ms',
      value: floorSpread.median + jobHopSpread.median + dsHopSpread.median,
      note: `${((floorSpread.median + jobHopSpread.median + dsHopSpread.median) / floorSpread.median).toFixed(2)}x floor`,
    });
    const limit = 3 * floorSpread.median + jobSpread.median;
    report.add({
      section: SECTION,
      name: '  operator share / floor',
      unit: 'x',
      value: shareSpread.median / floorSpread.median,
      goal: { text: `edit → DS ≤ 3 × floor + Job (${limit.toFixed(0)} ms)`, met: e2eSpread.median <= limit },
    });
    const noop = await noopReconcile(operator);
    return { floorMs, noop };
  } finally {
    await env.close();
  }
}

/** Everything settled: reconcile every object again and count what the operator sent. */
async function noopReconcile(operator: BenchOperator): Promise<EditFigures['noop']> {
  if (!(await operator.settle(30_000, 1_000))) return undefined;
  const before = await operator.reconciles();
  const mark = operator.requests.mark();
  operator.op.resync();
  await operator.settle(30_000, 500);
  const reconciles = (await operator.reconciles()) - before;
  const writes = operator.requests.writesSince(mark).length;
  return { writes, reads: operator.requests.since(mark).length - writes, reconciles };
}
