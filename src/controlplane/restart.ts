import { setTimeout as sleep } from 'node:timers/promises';
import { ProcessError } from '../core/errors.ts';
import type { LocalCluster } from './cluster.ts';
import { isAlive, killNow, startProcess } from './processes.ts';
import type { ComponentProcess } from './processes.ts';
import { readState, writeState } from './state.ts';

const KILL_WAIT_MS = 5_000;

function find(cluster: LocalCluster, name: string): { index: number; proc: ComponentProcess } {
  const index = cluster.components.findIndex((c) => c.name === name);
  const proc = cluster.components[index];
  if (proc === undefined) throw new ProcessError(`Local cluster "${cluster.name}" has no component ${name}`);
  return { index, proc };
}

/**
 * SIGKILL to a component's process group: no shutdown hook runs, no buffer is flushed, as when
 * the kernel's OOM killer or a node crash takes it. Resolves once the process is gone.
 */
export async function killComponent(cluster: LocalCluster, name: string): Promise<void> {
  const { proc } = find(cluster, name);
  killNow(proc.pid);
  const deadline = Date.now() + KILL_WAIT_MS;
  while (proc.exited() === undefined && isAlive(proc.pid)) {
    if (Date.now() > deadline) throw new ProcessError(`${name} (pid ${proc.pid}) survived SIGKILL for ${KILL_WAIT_MS} ms`);
    await sleep(20);
  }
}

/**
 * Starts a component again with the arguments, ports and data folders it had: etcd finds its
 * data, the API server its serving certificate, so clients keep their kubeconfig. The new pid
 * goes into the state file, so `stop()` and the orphan reaper still find it.
 */
export function restartComponent(cluster: LocalCluster, name: string): ComponentProcess {
  const { index, proc: old } = find(cluster, name);
  if (old.exited() === undefined && isAlive(old.pid)) throw new ProcessError(`${name} (pid ${old.pid}) is still running; kill it first`);
  const launch = cluster.launches[name];
  if (launch === undefined) throw new ProcessError(`Local cluster "${cluster.name}" does not know how ${name} was started`);
  const proc = startProcess(launch);
  cluster.components.splice(index, 1, proc);
  const state = readState(cluster.dir);
  if (state !== undefined) {
    state.components = state.components.map((c) => (c.name === name ? { name, pid: proc.pid, logFile: proc.logFile } : c));
    writeState(state);
  }
  return proc;
}
