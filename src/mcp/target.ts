import * as z from 'zod';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { FalconerError, InvalidInputError, KubeApiError } from '../core/errors.ts';
import type { FalcoArgv } from '../falco/argv.ts';
import type { ExecResult } from '../kube/exec.ts';
import { choosePod } from '../kube/pods.ts';
import type { FalcoPod } from '../kube/pods.ts';
import type { McpDeps } from './deps.ts';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const namespaceField = z.string().max(63).regex(DNS_LABEL, 'must be a Kubernetes namespace name');
export const objectNameField = z.string().max(253).regex(DNS_SUBDOMAIN, 'must be a Kubernetes object name');

/** Which monitor's Falco pods a tool runs in. Pods themselves can never be named. */
export const targetShape = {
  namespace: namespaceField.optional().describe('Namespace of the FalcoMonitor; the server default if omitted.'),
  monitor: objectNameField
    .optional()
    .describe('FalcoMonitor name; may be omitted when the namespace has exactly one monitor.'),
  node: objectNameField.optional().describe('Run in the Falco pod on this node instead of the first Ready pod.'),
  timeoutSeconds: z.number().int().min(1).max(55).optional().describe('Per-call deadline for the exec (default 30).'),
};

export const podRefSchema = z.object({ namespace: z.string(), pod: z.string(), node: z.string().optional() });

export interface Target {
  namespace?: string | undefined;
  monitor?: string | undefined;
  node?: string | undefined;
  timeoutSeconds?: number | undefined;
}

export interface MonitorRef {
  namespace: string;
  monitor: string;
}

/** Namespace and monitor: given, the server default, or the only monitor in the namespace. */
export async function resolveMonitor(deps: McpDeps, target: Target): Promise<MonitorRef> {
  const namespace = target.namespace ?? deps.defaults.namespace;
  const monitor = target.monitor ?? deps.defaults.monitor;
  if (monitor !== undefined) return { namespace, monitor };
  const monitors = await deps.objects.listMonitors(namespace);
  const names = monitors.map((m) => m.metadata?.name).filter((n): n is string => n !== undefined);
  if (names.length === 1 && names[0] !== undefined) return { namespace, monitor: names[0] };
  throw new InvalidInputError(
    names.length === 0
      ? `No FalcoMonitor in namespace ${namespace}; pass "namespace" or create one with falco_start_monitoring.`
      : `Namespace ${namespace} has ${names.length} FalcoMonitors (${names.slice(0, 10).join(', ')}); pass "monitor".`,
    { field: 'monitor' },
  );
}

export function timeoutMs(deps: McpDeps, target: Target): number {
  return target.timeoutSeconds === undefined ? deps.limits.execTimeoutMs : target.timeoutSeconds * 1000;
}

export interface PodRun {
  ref: MonitorRef;
  pod: FalcoPod;
  result: ExecResult;
}

/**
 * Resolves the monitor, picks one Ready pod, runs the allow-listed argv there. A pod can go
 * away between the list and the exec (a rollout, a node drain): then the list is read again
 * and, unless a node was pinned, the next Ready pod gets one more try.
 */
export async function execOnOnePod(
  deps: McpDeps,
  target: Target,
  argv: FalcoArgv,
  extra: ToolExtra,
  stdin?: string,
): Promise<PodRun> {
  const ref = await resolveMonitor(deps, target);
  const key = `${ref.namespace}/${ref.monitor}`;
  const options = { timeoutMs: timeoutMs(deps, target), signal: extra.signal, ...(stdin === undefined ? {} : { stdin }) };
  let pod = choosePod(await deps.fleet.listPods(ref.namespace, ref.monitor, extra.signal), key, target.node);
  let result;
  try {
    result = await deps.fleet.exec(pod, argv, options);
  } catch (err) {
    if (!(err instanceof KubeApiError)) throw err;
    const again = await deps.fleet.listPods(ref.namespace, ref.monitor, extra.signal);
    if (again.some((p) => p.name === pod.name && p.ready)) throw err;
    if (target.node !== undefined) {
      throw new FalconerError(`The Falco pod ${pod.name} on node ${target.node} went away during the call.`, { cause: err });
    }
    deps.logger.info('Falco pod went away, retrying on another', { component: 'mcp', namespace: ref.namespace, name: pod.name });
    pod = choosePod(again, key);
    result = await deps.fleet.exec(pod, argv, options);
  }
  if (result.stdoutTruncated) {
    throw new FalconerError(
      `Falco's output in pod ${pod.name} exceeded ${deps.limits.maxExecOutputBytes} bytes and was cut; it cannot be parsed.`,
    );
  }
  return { ref, pod, result };
}

export function podRef(pod: FalcoPod): z.infer<typeof podRefSchema> {
  return pod.node === undefined ? { namespace: pod.namespace, pod: pod.name } : { namespace: pod.namespace, pod: pod.name, node: pod.node };
}
