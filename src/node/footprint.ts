import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../controlplane/run-command.ts';
import { CONTAINERD_RUN_DIR } from './paths.ts';
import { NODE_NETWORK, linkExists, netnsPath } from './network.ts';

/**
 * Everything a real node puts on this machine outside its own folder, read from the machine
 * itself. Teardown removes it; `leftovers()` lists what is still there (a test asserts nothing).
 */

/** Fixed paths the kubelet, containerd and go-cni use whatever their configured roots are. */
export const FIXED_PATHS = ['/var/lib/kubelet/device-plugins', '/var/lib/cni/results', CONTAINERD_RUN_DIR] as const;
export const LOG_SYMLINK_DIR = '/var/log/containers';
/** The kubelet's pod cgroup tree (cgroupfs driver, default cgroupRoot). */
export const CGROUP_TREE = 'kubepods';

export const NETNS_DIR = '/run/netns';

export interface Mount {
  mountPoint: string;
}

export function mounts(): Mount[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => ({ mountPoint: (l.split(' ')[4] ?? '').replace(/\\040/g, ' ') }));
}

export function isMountPoint(path: string): boolean {
  return mounts().some((m) => m.mountPoint === path);
}

/** Mounts the node made: under its folder, containerd's run dir, the pods' network namespaces. */
export function nodeMounts(dir: string): string[] {
  const prefixes = [`${dir}/`, `${CONTAINERD_RUN_DIR}/`, '/run/netns/cni-', '/var/run/netns/cni-', '/var/lib/kubelet/'];
  return mounts()
    .map((m) => m.mountPoint)
    .filter((p) => prefixes.some((prefix) => p.startsWith(prefix)));
}

/** Every cgroup v1 hierarchy (and the unified one) that holds a kubepods tree. */
export function podCgroupDirs(): string[] {
  const root = '/sys/fs/cgroup';
  if (!existsSync(root)) return [];
  const dirs = [join(root, CGROUP_TREE)];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(join(root, entry.name, CGROUP_TREE));
  }
  return [...new Set(dirs)].filter((d) => existsSync(d));
}

/** All pids in a cgroup tree, deepest first. */
export function cgroupPids(dir: string): number[] {
  const pids: number[] = [];
  const walk = (d: string): void => {
    // Cgroups come and go while we read (the kubelet, runc, a teardown): a vanished one holds no pids.
    try {
      for (const entry of readdirSync(d, { withFileTypes: true })) if (entry.isDirectory()) walk(join(d, entry.name));
      pids.push(...readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n').filter((l) => l !== '').map(Number));
    } catch {
      // Gone.
    }
  };
  if (existsSync(dir)) walk(dir);
  return pids;
}

/** Processes running one of the node's binaries (kubelet, containerd, shims, relay). */
export function nodeProcesses(binDir: string): Array<{ pid: number; exe: string }> {
  const found: Array<{ pid: number; exe: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = readlinkSync(`/proc/${entry}/exe`);
      if (exe.startsWith(`${binDir}/`)) found.push({ pid: Number(entry), exe });
    } catch {
      // Gone, or a kernel thread: not ours.
    }
  }
  return found;
}

/** /var/log/containers links the kubelet made for this node's pods (they point into its folder). */
export function logSymlinks(dir: string): string[] {
  if (!existsSync(LOG_SYMLINK_DIR)) return [];
  return readdirSync(LOG_SYMLINK_DIR)
    .map((f) => join(LOG_SYMLINK_DIR, f))
    .filter((f) => {
      try {
        return readlinkSync(f).startsWith(`${dir}/`);
      } catch {
        return false;
      }
    });
}

async function hostChains(): Promise<string[]> {
  const out = await runCommand('iptables-save', [], { allowFailure: true }).catch(() => undefined);
  return (out?.stdout ?? '').split('\n').filter((l) => /^:(CNI-|KUBE-)/.test(l)).map((l) => l.split(' ')[0] ?? l);
}

/** What of a real node is still on this machine: empty after a clean teardown. */
export async function leftovers(record: { dir: string; binDir: string }): Promise<string[]> {
  const found: string[] = [];
  for (const p of nodeProcesses(record.binDir)) found.push(`process ${p.pid} (${p.exe})`);
  for (const pid of podCgroupDirs().flatMap(cgroupPids)) found.push(`process ${pid} in the ${CGROUP_TREE} cgroup`);
  for (const m of nodeMounts(record.dir)) found.push(`mount ${m}`);
  if (existsSync(netnsPath(NODE_NETWORK))) found.push(`network namespace ${NODE_NETWORK.netns}`);
  if (await linkExists(NODE_NETWORK.vethHost)) found.push(`link ${NODE_NETWORK.vethHost}`);
  if (await linkExists(NODE_NETWORK.bridge)) found.push(`bridge ${NODE_NETWORK.bridge} in the host namespace`);
  for (const chain of await hostChains()) found.push(`iptables chain ${chain} in the host namespace`);
  for (const d of podCgroupDirs()) found.push(`cgroup ${d}`);
  for (const p of FIXED_PATHS) if (existsSync(p)) found.push(`path ${p}`);
  for (const l of logSymlinks(record.dir)) found.push(`symlink ${l}`);
  if (existsSync(NETNS_DIR)) {
    const entries = readdirSync(NETNS_DIR);
    for (const f of entries) if (f.startsWith('cni-')) found.push(`pod network namespace ${NETNS_DIR}/${f}`);
    if (entries.length === 0 && isMountPoint(NETNS_DIR)) found.push(`mount ${NETNS_DIR} (left by ip netns, with no namespace in it)`);
  }
  return found;
}
