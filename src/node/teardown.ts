import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../controlplane/run-command.ts';
import { isAlive, killNow, stopProcess } from '../controlplane/processes.ts';
import { FIXED_PATHS, NETNS_DIR, cgroupPids, isMountPoint, logSymlinks, nodeMounts, nodeProcesses, podCgroupDirs } from './footprint.ts';
import { NODE_NETWORK, deleteNodeNetwork } from './network.ts';
import { LOCK_FILE } from './paths.ts';
import type { RealNodeRecord } from './record.ts';

function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Kills the pods' processes (everything in the kubepods cgroups), then the shims that watched them. */
function killContainers(binDir: string): number {
  const pids = podCgroupDirs().flatMap(cgroupPids);
  killPids(pids);
  killPids(nodeProcesses(binDir).filter((p) => p.exe.endsWith('/containerd-shim-runc-v2')).map((p) => p.pid));
  return pids.length;
}

/**
 * Synchronous last resort (process 'exit', where nothing can be awaited): every process of the
 * node dies. Mounts, cgroups and the namespace stay until the reaper's teardown.
 */
export function killRealNodeNow(record: RealNodeRecord): void {
  for (const c of record.components) killNow(c.pid);
  killContainers(record.binDir);
}

function removeEmptyDirsDeepestFirst(dir: string): void {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeEmptyDirsDeepestFirst(join(dir, entry.name));
    rmdirSync(dir);
  } catch {
    // Already gone, or a cgroup with a process still in it; leftovers() reports what stays.
  }
}

function removeIfEmpty(dir: string): void {
  try {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Not ours to force.
  }
}

async function unmountAll(dir: string): Promise<void> {
  // Deepest first, lazily: a busy mount is detached now and freed when its last user goes.
  const points = [...new Set(nodeMounts(dir))].sort((a, b) => b.length - a.length);
  for (const p of points) await runCommand('umount', ['-l', p], { allowFailure: true });
}

/** The lock names the cluster folder that owns the real node: removed only by that owner's teardown. */
function releaseLock(dir: string): void {
  try {
    const owner = (JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as { dir?: string }).dir;
    if (owner === dir) unlinkSync(LOCK_FILE);
  } catch {
    // No lock, or not readable: nothing to release.
  }
  removeIfEmpty(dirname(LOCK_FILE));
}

/**
 * Undoes a real node completely, whether it is running or its owner was killed: processes, pod
 * processes, mounts, the network namespace (veth, bridge, iptables rules go with it), cgroups, and
 * the files the kubelet, containerd and go-cni leave at fixed paths. Safe to run twice.
 */
export async function teardownRealNode(record: RealNodeRecord): Promise<void> {
  const byName = new Map(record.components.map((c) => [c.name, c.pid]));
  const ours = (pid: number | undefined): boolean => pid !== undefined && isAlive(pid) && nodeProcesses(record.binDir).some((p) => p.pid === pid);
  // The kubelet first, so it does not restart what is being killed.
  const kubelet = byName.get('kubelet');
  if (ours(kubelet) && kubelet !== undefined) await stopProcess(kubelet, 3000);
  killContainers(record.binDir);
  const containerd = byName.get('containerd');
  if (ours(containerd) && containerd !== undefined) await stopProcess(containerd, 3000);
  // Anything left that runs our binaries (a shim started during teardown, a relay).
  for (let i = 0; i < 3; i++) {
    const left = nodeProcesses(record.binDir).map((p) => p.pid);
    if (killContainers(record.binDir) === 0 && left.length === 0) break;
    killPids(left);
    await sleep(100);
  }
  await unmountAll(record.dir);
  await deleteNodeNetwork(NODE_NETWORK);
  if (existsSync(NETNS_DIR)) {
    for (const f of readdirSync(NETNS_DIR)) if (f.startsWith('cni-')) rmSync(join(NETNS_DIR, f), { force: true });
    // `ip netns add` bind-mounts /run/netns onto itself (to share it); once empty, undo that too.
    for (let i = 0; i < 5 && readdirSync(NETNS_DIR).length === 0 && isMountPoint(NETNS_DIR); i++) {
      await runCommand('umount', [NETNS_DIR], { allowFailure: true });
    }
    removeIfEmpty(NETNS_DIR);
  }
  for (let i = 0; i < 20 && podCgroupDirs().length > 0; i++) {
    for (const d of podCgroupDirs()) removeEmptyDirsDeepestFirst(d);
    if (podCgroupDirs().length > 0) await sleep(100);
  }
  for (const link of logSymlinks(record.dir)) rmSync(link, { force: true });
  removeIfEmpty('/var/log/containers');
  // Never recurse into a folder that still has something mounted below it.
  if (nodeMounts(record.dir).length === 0) for (const p of FIXED_PATHS) rmSync(p, { recursive: true, force: true });
  removeIfEmpty('/var/lib/kubelet');
  removeIfEmpty('/var/lib/cni');
  releaseLock(dirname(record.dir));
}
