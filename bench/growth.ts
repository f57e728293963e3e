/**
 * Section 5: how the figures of sections 2–4 grow with nodes, objects and pods, read back from
 * the figures this run measured (nothing is measured twice).
 */
import type { Figure, Report } from './report.ts';

const SECTION = '5 growth';

function median(f: Figure | undefined): number {
  if (f?.value === undefined) return NaN;
  return typeof f.value === 'number' ? f.value : f.value.median;
}

function find(report: Report, section: string, name: string): Figure | undefined {
  return report.figures.find((f) => f.section === section && f.name.trim() === name);
}

function series(values: number[], unit: string, digits = 0): string {
  return `${values.map((v) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a')).join(' → ')} ${unit}`;
}

function row(report: Report, name: string, values: number[], unit: string, digits = 0): void {
  const known = values.filter((v) => Number.isFinite(v));
  const first = known[0];
  const last = known[known.length - 1];
  if (first === undefined || last === undefined || known.length < 2) {
    report.add({ section: SECTION, name, unit: 'x', na: 'fewer than two sizes measured in this run' });
    return;
  }
  report.add({ section: SECTION, name, unit: 'x', value: first === 0 ? NaN : last / first, note: series(values, unit, digits) });
}

export function addGrowth(report: Report): void {
  const lat = '2 operator latency';
  const nodes = [3, 100, 1000];
  const per = (label: (n: number) => string): number[] => nodes.map((n) => median(find(report, lat, label(n))));
  row(report, 'monitor → Ready, 3 → 100 → 1000 nodes', per((n) => `monitor created → Ready on ${n} nodes`), 'ms');
  row(report, '  bare DaemonSet rollout (no operator), same sizes', per((n) => `floor: bare DaemonSet created → ${n} pods Ready (no operator)`), 'ms');
  row(report, '  monitor → DaemonSet created, same sizes', per((n) => `monitor created → DaemonSet created (${n} nodes)`), 'ms');
  const cost = '3 operator cost';
  const sizes = ['100 rule sets / 10 monitors', '1000 rule sets / 100 monitors'];
  row(report, 'full resync CPU, 100/10 → 1000/100 objects', sizes.map((s) => median(find(report, cost, `full resync, ${s}: operator CPU (in-process)`))), 's', 2);
  row(report, 'first convergence CPU (incl. verification), 100/10 → 1000/100', sizes.map((s) => median(report.figures.find((f) => f.name.startsWith(`first convergence, ${s}`)))), 's', 2);
  const deployedRss = (size: string): number =>
    median(report.figures.find((f) => f.section === cost && f.name.startsWith('falconer operator process (as deployed') && f.name.endsWith(`, ${size}: peak RSS (VmHWM)`)));
  row(report, 'operator peak RSS as deployed, empty → 100/10 → 1000/100', ['empty namespace', ...sizes].map(deployedRss), 'MB');
  row(report, 'falco_query_alerts, 10 → 100 pods × 1000 alerts', [10, 100].map((n) => median(find(report, '4 MCP', `falco_query_alerts, ${n} pods × 1000 alerts`))), 'ms');
}
