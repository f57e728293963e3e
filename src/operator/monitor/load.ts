import { LABEL_COMPONENT, LABEL_MONITOR } from '../../api/names.ts';
import type { Bundle } from '../builders/bundle.ts';
import { bundleFromConfigMap } from '../builders/bundle.ts';
import { intendedLoad } from '../loaded/intended.ts';
import type { IntendedLoad } from '../loaded/intended.ts';
import { falcoPods } from '../loaded/poller.ts';
import { summariseLoad } from '../loaded/summary.ts';
import type { LoadSummary } from '../loaded/summary.ts';
import type { MonitorScope } from './children.ts';

/**
 * What the monitor's Falco pods report they loaded, against the bundle and falco.yaml it deployed;
 * undefined when the operator does not read Falco's metrics, or nothing is deployed.
 */
export function observeLoad(s: MonitorScope, deployed: Bundle | undefined, falcoYaml: string): LoadSummary | undefined {
  const reports = s.deps.nodeReports;
  if (reports === undefined || deployed === undefined || s.monitor.spec.suspend) return undefined;
  const load = summariseLoad({
    pods: falcoPods(s.deps.cache.pods.list(s.namespace), s.name),
    readings: reports.get(`${s.namespace}/${s.name}`),
    intended: intendedLoad(deployed, falcoYaml),
    earlier: earlierBundles(s, deployed, falcoYaml),
  });
  recordGauges(s, load);
  return load;
}

/** The monitor's other bundle ConfigMaps still in the cache (garbage collection keeps those in use). */
function earlierBundles(s: MonitorScope, deployed: Bundle, falcoYaml: string): IntendedLoad[] {
  const out: IntendedLoad[] = [];
  for (const cm of s.deps.cache.configMaps.list(s.namespace)) {
    if (cm.metadata?.labels?.[LABEL_MONITOR] !== s.name || cm.metadata.labels[LABEL_COMPONENT] !== 'rules') continue;
    const bundle = bundleFromConfigMap(cm);
    if (bundle !== undefined && bundle.hash !== deployed.hash) out.push(intendedLoad(bundle, falcoYaml));
  }
  return out;
}

function recordGauges(s: MonitorScope, load: LoadSummary): void {
  const labels = { namespace: s.namespace, monitor: s.name };
  s.deps.metrics.loadedNodes.set(labels, load.loaded);
  for (const state of ['Drifted', 'Outdated', 'NoMetrics'] as const) {
    s.deps.metrics.notLoadedNodes.set({ ...labels, state }, load.nodes.filter((n) => n.state === state).length);
  }
}

/** A deleted monitor's gauges would otherwise report its last figures for ever. */
export function forgetLoad(deps: MonitorScope['deps'], namespace: string, name: string): void {
  deps.nodeReports?.delete(`${namespace}/${name}`);
  deps.metrics.loadedNodes.remove({ namespace, monitor: name });
  for (const state of ['Drifted', 'Outdated', 'NoMetrics']) deps.metrics.notLoadedNodes.remove({ namespace, monitor: name, state });
}

/** The Falco version every node that answered reports, when they agree: what runs, not what was verified. */
export function reportedVersion(load: LoadSummary | undefined): string | undefined {
  const versions = new Set((load?.nodes ?? []).flatMap((n) => (n.report?.version === undefined ? [] : [n.report.version])));
  return versions.size === 1 ? [...versions][0] : undefined;
}
