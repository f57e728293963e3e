import { setTimeout as sleep } from 'node:timers/promises';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, MONITOR_PLURAL } from '../api/names.ts';
import type { FalcoMonitor } from '../api/monitor.ts';
import { TimeoutError } from '../core/errors.ts';

/** One line that says where a monitor stands; printed again only when it changes. */
export function describeMonitor(monitor: Partial<FalcoMonitor>): string {
  const status = monitor.status;
  if (status === undefined) return 'waiting for the operator to pick it up';
  const conditions = (status.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ');
  const nodes = `${status.readyNodes ?? 0}/${status.desiredNodes ?? 0} nodes ready`;
  const ruleSets = `${status.appliedRuleSets?.length ?? 0} rule sets applied, ${status.rejectedRuleSets?.length ?? 0} rejected`;
  return `${nodes}; ${ruleSets}; ${conditions || 'no conditions yet'}`;
}

export function isReady(monitor: Partial<FalcoMonitor>): boolean {
  const ready = monitor.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && monitor.status?.observedGeneration === monitor.metadata?.generation;
}

export async function waitForMonitorReady(
  kc: KubeConfig,
  namespace: string,
  name: string,
  options: { timeoutMs: number; onChange: (line: string) => void; signal?: AbortSignal },
): Promise<Partial<FalcoMonitor>> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    const monitor = (await api.getNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace, plural: MONITOR_PLURAL, name })) as Partial<FalcoMonitor>;
    const line = describeMonitor(monitor);
    if (line !== last) options.onChange(`FalcoMonitor ${namespace}/${name}: ${line}`);
    last = line;
    if (isReady(monitor)) return monitor;
    await sleep(250);
  }
  throw new TimeoutError(`FalcoMonitor ${namespace}/${name} was not Ready after ${options.timeoutMs / 1000} s; last seen: ${last}`);
}
