/**
 * Per node: does its Falco run exactly what the monitor intends? Computed from the pods in the
 * cache and the latest /metrics readings, without I/O.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { BUNDLE_HASH_ANNOTATION } from '../builders/bundle.ts';
import { CONFIG_HASH_ANNOTATION, CONFIG_KEY } from '../builders/falco-config.ts';
import type { FalcoReport } from './falco-report.ts';
import { differences, sameRulesFiles } from './intended.ts';
import type { IntendedLoad } from './intended.ts';
import type { PodReading } from './node-reports.ts';
import type { ReportSource } from './metrics-reader.ts';
import { podReady } from './poller.ts';
import { compareNames } from '../../core/compare.ts';

export type NodeState = 'Loaded' | 'Drifted' | 'Outdated' | 'NoMetrics';

export interface NodeLoad {
  node: string;
  pod: string;
  state: NodeState;
  report: FalcoReport | undefined;
  /** An earlier bundle whose files the node loaded, when recognised. */
  bundleHash: string | undefined;
  message: string | undefined;
  /** Ready, yet its /metrics failed twice in a row. */
  missing: boolean;
  drops: number;
}

export interface LoadSummary {
  nodes: NodeLoad[];
  loaded: number;
  /** Undefined until some pod was read. */
  source: ReportSource | undefined;
  drops: number;
}

export interface LoadInput {
  pods: readonly V1Pod[];
  readings: ReadonlyMap<string, PodReading> | undefined;
  intended: IntendedLoad;
  /** Bundles the operator still holds, to name the one a node runs instead. */
  earlier: readonly IntendedLoad[];
}

/** A reading that failed once is still trusted (a scrape can time out); twice, it is not. */
const FAILURES_BEFORE_MISSING = 2;

export function summariseLoad(input: LoadInput): LoadSummary {
  const byNode = new Map<string, NodeLoad>();
  for (const pod of input.pods) {
    const node = pod.spec?.nodeName;
    if (node === undefined || node === '') continue;
    const load = nodeLoad(pod, node, input);
    const seen = byNode.get(node);
    if (seen === undefined || (seen.state !== 'Loaded' && load.state === 'Loaded')) byNode.set(node, load);
  }
  const nodes = [...byNode.values()].sort((a, b) => compareNames(a.node, b.node));
  const readings = [...(input.readings?.values() ?? [])];
  return {
    nodes,
    loaded: nodes.filter((n) => n.state === 'Loaded').length,
    source: readings.some((r) => r.source === 'Simulated') ? 'Simulated' : readings.length > 0 ? 'Falco' : undefined,
    drops: nodes.reduce((sum, n) => sum + n.drops, 0),
  };
}

function nodeLoad(pod: V1Pod, node: string, input: LoadInput): NodeLoad {
  const name = pod.metadata?.name ?? '';
  const reading = input.readings?.get(name);
  const base = { node, pod: name, bundleHash: undefined, drops: reading?.recentDrops ?? 0 };
  const failing = reading !== undefined && reading.failures >= FAILURES_BEFORE_MISSING;
  if (reading?.report === undefined || failing) {
    const ready = podReady(pod);
    const message = !ready ? 'Falco is not ready yet.' : reading === undefined ? 'Not read yet.' : `Could not read /metrics: ${reading.error ?? 'no answer'}`.slice(0, 512);
    return { ...base, state: 'NoMetrics', report: reading?.report, message, missing: ready && failing };
  }
  const { report } = reading;
  const diff = differences(report, input.intended);
  if (diff.length === 0) return { ...base, state: 'Loaded', report, message: undefined, missing: false };
  const annotations = pod.metadata?.annotations ?? {};
  const current = annotations[BUNDLE_HASH_ANNOTATION] === input.intended.bundleHash && annotations[CONFIG_HASH_ANNOTATION] === `sha256:${input.intended.configSha256}`;
  const earlier = input.earlier.find((b) => sameRulesFiles(report, b));
  const message = `${current ? 'On the current pod template, yet Falco loaded' : 'Still on an earlier pod template:'} ${diff.slice(0, 4).join('; ')}${diff.length > 4 ? `; and ${diff.length - 4} more` : ''}.`;
  return { ...base, state: current ? 'Drifted' : 'Outdated', report, bundleHash: earlier?.bundleHash, message: message.slice(0, 512), missing: false };
}

/** The sha256 of the falco.yaml a report names. */
export function configSha(report: FalcoReport | undefined): string | undefined {
  return report?.configFiles.get(CONFIG_KEY);
}
