import type { V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import type { Bundle } from '../builders/bundle.ts';
import type { JobState } from '../verification/outcome.ts';

export interface TargetDecision {
  /** The bundle the DaemonSet should run; undefined until a first bundle passed verification. */
  target: Bundle | undefined;
  /**
   * The falco.yaml (by hash) the DaemonSet should mount with it; undefined when no verified one
   * is known (the live DaemonSet is then left as it is).
   */
  targetConfig: string | undefined;
  /** Whether the candidate's verification Job must exist. */
  verify: boolean;
  /** Why the candidate is not the target yet, when it is not. */
  waiting?: 'Verification' | 'Attribution' | 'NoRules';
}

/** A bundle and the falco.yaml it runs with: what a verification Job checks and the nodes run. */
export interface Deployment {
  bundle: Bundle;
  configHash: string;
}

/**
 * What the nodes get, as ordered checks over (candidate, running deployment, Job state); the
 * candidate is the planned bundle with the monitor's current falco.yaml:
 * 1. the candidate is what runs → nothing to do;
 * 2. the candidate holds no rules at all → keep what runs (Falco refuses to start without rules);
 * 3. Falco accepted the candidate, or verification is static-only → it becomes the target;
 * 4. Falco rejected it → keep what runs (bundle and falco.yaml) while the failure is attributed
 *    (a rule set that broke is left out of the next candidate; a configuration Falco refuses is
 *    reported on the monitor);
 * 5. otherwise → keep what runs and make sure the verification Job exists.
 * Pure.
 */
export function decideTarget(candidate: Deployment, running: Deployment | undefined, job: JobState | undefined, staticOnly = false): TargetDecision {
  const keep = { target: running?.bundle, targetConfig: running?.configHash };
  if (running !== undefined && candidate.bundle.hash === running.bundle.hash && candidate.configHash === running.configHash) {
    return { ...keep, verify: false };
  }
  if (candidate.bundle.files.length === 0 && !candidate.bundle.includeDefaultRules) return { ...keep, verify: false, waiting: 'NoRules' };
  if (job === 'Succeeded' || staticOnly) return { target: candidate.bundle, targetConfig: candidate.configHash, verify: false };
  if (job === 'Failed') return { ...keep, verify: false, waiting: 'Attribution' };
  return { ...keep, verify: true, waiting: 'Verification' };
}

/** DaemonSet counters as the monitor reports them. */
export interface RolloutState {
  desired: number;
  ready: number;
  updated: number;
  available: number;
  /** The controller has seen the latest template and every pod runs it and is ready. */
  complete: boolean;
}

export function rolloutState(ds: V1DaemonSet | undefined): RolloutState | undefined {
  if (ds === undefined) return undefined;
  const s = ds.status;
  const desired = s?.desiredNumberScheduled ?? 0;
  const ready = s?.numberReady ?? 0;
  const updated = s?.updatedNumberScheduled ?? 0;
  const available = s?.numberAvailable ?? 0;
  const observed = (s?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 1);
  return { desired, ready, updated, available, complete: observed && updated === desired && ready === desired && desired > 0 };
}

/** A Falco pod whose container keeps restarting, with the last error Falco printed. */
export interface CrashingPod {
  name: string;
  /** From the kubelet's termination message (the log's tail, FallbackToLogsOnError). */
  lastError?: string;
}

/** Falco pods whose container keeps restarting: Falco exits on a bad config, plugin or rules file. */
export function crashingPods(pods: readonly V1Pod[]): CrashingPod[] {
  const out: CrashingPod[] = [];
  for (const p of pods) {
    const status = p.status?.containerStatuses?.find(
      (c) => c.state?.waiting?.reason === 'CrashLoopBackOff' || c.state?.terminated?.reason === 'Error',
    );
    if (status === undefined) continue;
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    const line = terminated?.message === undefined ? undefined : lastErrorLine(terminated.message);
    // Killed from outside (OOMKilled), Falco's last line is not the reason: both are told.
    const killed = terminated?.reason !== undefined && !['Error', 'StartError', 'Completed'].includes(terminated.reason) ? terminated.reason : undefined;
    const lastError = killed === undefined ? line : `${killed} (exit code ${terminated?.exitCode ?? '?'})${line === undefined ? '' : `; last line: ${line}`}`;
    out.push({ name: p.metadata?.name ?? '', ...(lastError === undefined ? {} : { lastError }) });
  }
  return out;
}

const MAX_ERROR_LINE = 300;

/**
 * The line of a Falco log tail that says why it stopped: Falco ends with "Error: …" or
 * "Runtime error: …" on stderr; otherwise the last line it printed.
 */
export function lastErrorLine(tail: string): string | undefined {
  const lines = tail.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const error = [...lines].reverse().find((l) => /(^|: )(Runtime error|Error): /.test(l));
  const line = error ?? lines.at(-1);
  return line === undefined ? undefined : line.slice(0, MAX_ERROR_LINE);
}
