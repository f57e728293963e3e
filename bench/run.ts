/**
 * `npm run bench [-- --quick] [-- --only=rules,footprint,startup,edit,ready,cost,mcp,metrics,realnode]`: every Falconer benchmark
 * on its own local control plane. Prints one table on stdout (progress goes to stderr) and
 * writes the same figures as JSON to bench/results/. Figures are medians with their p10–p90
 * band; comparisons are ratios of series measured side by side in the same run.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBenchCluster } from './cluster.ts';
import type { BenchCluster } from './cluster.ts';
import { benchCost } from './cost.ts';
import { benchEdit } from './latency-edit.ts';
import { benchFalcoMetrics } from './falco-metrics.ts';
import { measureReady, reportReady } from './latency-ready.ts';
import { addGrowth } from './growth.ts';
import { describeMachine, machineLine } from './machine.ts';
import { benchFootprintLocal, benchFootprintOperators } from './footprint.ts';
import { benchMcp } from './mcp.ts';
import { Report, renderTable, writeJson } from './report.ts';
import { benchRules } from './rules.ts';
import { benchRealNode } from './real-node.ts';

const ALL = ['rules', 'footprint', 'edit', 'ready', 'cost', 'mcp', 'metrics', 'realnode'] as const;
/** Parts a full run covers through another: `startup` is footprint's half that needs no cluster. */
const SUBSETS = ['startup'] as const;
type Part = (typeof ALL)[number] | (typeof SUBSETS)[number];

function parseArgs(argv: readonly string[]): { quick: boolean; parts: Set<Part> } {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const parts = new Set<Part>(only === undefined ? ALL : (only.split(',').filter((p): p is Part => ([...ALL, ...SUBSETS] as readonly string[]).includes(p))));
  return { quick, parts };
}

function step(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<void> {
  const { quick, parts } = parseArgs(process.argv.slice(2));
  const machine = describeMachine();
  const report = new Report();
  const started = Date.now();
  step(`Machine: ${machineLine(machine)}${quick ? ' (quick)' : ''}`);
  if (parts.has('rules')) {
    step('Rules engine');
    await benchRules(report, { quick });
  }
  let footprintMain: string | undefined;
  // `startup`: this half of the footprint alone, without the cluster.
  if (parts.has('footprint') || parts.has('startup')) {
    step('Footprint: falconer validate vs falco -V, falconer mcp start-up');
    footprintMain = await benchFootprintLocal(report, { quick });
  }
  if (parts.has('realnode')) {
    step('Real node: the real Falco 0.44.1 on a real kubelet');
    await benchRealNode(report, { quick }, step);
  }
  let bench: BenchCluster | undefined;
  try {
    if ([...parts].some((p) => p !== 'rules' && p !== 'realnode' && p !== 'startup')) {
      step('Starting the local control plane (3 simulated nodes)');
      bench = await startBenchCluster(3, (m) => step(`  ${m}`));
    }
    // First on the cluster: the operators compared there see only their own objects.
    if (bench !== undefined && footprintMain !== undefined && parts.has('footprint')) {
      step('Footprint: the operator next to the official falco-operator');
      await benchFootprintOperators(bench, report, footprintMain, { quick }, (m) => step(`  ${m}`));
    }
    if (bench !== undefined && parts.has('edit')) {
      step('Operator: rule-set edit → DaemonSet, no-op reconcile');
      const edit = await benchEdit(bench, report, { quick });
      report.add(
        edit.noop === undefined
          ? { section: '3 operator cost', name: 'write requests per no-op reconcile', unit: 'writes', na: 'the operator did not settle within 30 s' }
          : {
              section: '3 operator cost',
              name: 'write requests per no-op reconcile',
              unit: 'writes',
              value: edit.noop.writes / Math.max(1, edit.noop.reconciles),
              note: `${edit.noop.writes} writes, ${edit.noop.reads} reads over ${edit.noop.reconciles} reconciles`,
              goal: { text: '0', met: edit.noop.writes === 0 },
            },
      );
    }
    if (bench !== undefined && parts.has('mcp')) {
      step('MCP tools');
      await benchMcp(bench, report, { quick });
    }
    if (bench !== undefined && parts.has('cost')) {
      step('Operator cost at 1000 rule sets / 100 monitors');
      await benchCost(bench, report, { quick });
    }
    if (bench !== undefined && parts.has('metrics')) {
      step('Operator: reading every Falco pod\'s /metrics on 100 nodes');
      await benchFalcoMetrics(bench, report, { quick });
    }
    if (bench !== undefined && parts.has('ready')) {
      const sizes = quick ? [3, 100] : [3, 100, 1000];
      for (const nodes of sizes) {
        step(`Operator: monitor → Ready on ${nodes} nodes`);
        const left = await bench.waitForNoManagedPods(180_000);
        if (left > 0) step(`  ${left} Falconer pods still being deleted; measuring anyway`);
        await bench.growTo(nodes, 600_000);
        const big = nodes >= 1000;
        const samples = await measureReady(bench, { runs: big ? 1 : quick ? 2 : 3, budgetMs: big ? 1 : 120_000, timeoutMs: big ? 420_000 : 180_000 });
        reportReady(report, samples);
      }
      if (quick) report.na('2 operator latency', 'monitor created → Ready on 1000 nodes', 'ms', 'skipped by --quick');
    }
  } finally {
    if (bench !== undefined) {
      step('Stopping the local control plane');
      await bench.stop();
    }
  }
  addGrowth(report);
  machine.loadEnd = loadavg()[0] ?? NaN;
  report.note(`Machine: ${machineLine(machine)}.`);
  report.note('The machine is shared: other engineers ran tests during this run, so absolute figures are noisy; ratios are measured side by side and hold up better.');
  report.note('Simulated cluster: kwok plays the kubelet; a verification Job ends when a kwok Stage decides (Falco accepts), so its time is simulator time; exec runs a stand-in falco that replays recorded Falco 0.42.1 output.');
  report.note(`Total benchmark time ${((Date.now() - started) / 1000).toFixed(0)} s${quick ? ' (--quick)' : ''}.`);
  const file = writeJson(report, machine, { quick, parts: [...parts] }, fileURLToPath(new URL('./results/', import.meta.url)));
  process.stdout.write(renderTable(report));
  step(`Wrote ${file}`);
}

await main();
