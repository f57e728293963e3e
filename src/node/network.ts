import { existsSync } from 'node:fs';
import { runCommand } from '../controlplane/run-command.ts';

/**
 * The real node's network: a namespace of its own, joined to this machine by one veth pair.
 * Nothing routes out of it (no default route), so pods and the kubelet can reach only the host
 * end of the veth, where the API server relay listens, and each other. This machine routes the
 * pod range through the veth, as a cluster routes each node's pod CIDR to that node: the API
 * server's pod proxy (e.g. to Falco's /metrics) then reaches pods inside the namespace instead
 * of sending their addresses out of the machine.
 */
export interface NodeNetwork {
  netns: string;
  vethHost: string;
  vethNode: string;
  hostIp: string;
  nodeIp: string;
  prefixLength: number;
  /** Pod addresses, from the CNI bridge inside the namespace. */
  podCidr: string;
  bridge: string;
}

export const NODE_NETWORK: NodeNetwork = {
  netns: 'falconer-node',
  vethHost: 'falconer-host',
  vethNode: 'falconer-node',
  hostIp: '10.213.0.1',
  nodeIp: '10.213.0.2',
  prefixLength: 30,
  podCidr: '10.214.0.0/24',
  bridge: 'falconer-br0',
};

export function netnsPath(net: NodeNetwork): string {
  return `/run/netns/${net.netns}`;
}

/** `nsenter` argv that runs a command in the node's network namespace and nowhere else. */
export function inNodeNetwork(net: NodeNetwork, command: string, args: readonly string[]): { command: string; args: string[] } {
  // Not `ip netns exec`: it also gives each command a private mount namespace, which would split
  // containerd's mounts from the kubelet's.
  return { command: 'nsenter', args: [`--net=${netnsPath(net)}`, '--', command, ...args] };
}

async function ip(args: readonly string[]): Promise<void> {
  await runCommand('ip', args);
}

export async function createNodeNetwork(net: NodeNetwork): Promise<void> {
  await ip(['netns', 'add', net.netns]);
  await ip(['link', 'add', net.vethHost, 'type', 'veth', 'peer', 'name', net.vethNode, 'netns', net.netns]);
  await ip(['addr', 'add', `${net.hostIp}/${net.prefixLength}`, 'dev', net.vethHost]);
  await ip(['link', 'set', net.vethHost, 'up']);
  await ip(['-n', net.netns, 'addr', 'add', `${net.nodeIp}/${net.prefixLength}`, 'dev', net.vethNode]);
  await ip(['-n', net.netns, 'link', 'set', net.vethNode, 'up']);
  // The kubelet's healthz and containerd's streaming server (exec, logs) listen on 127.0.0.1 in there.
  await ip(['-n', net.netns, 'link', 'set', 'lo', 'up']);
  // Pod addresses live behind the node: route them through the veth (the route goes with the veth).
  await ip(['route', 'add', net.podCidr, 'via', net.nodeIp, 'dev', net.vethHost]);
  const forward = inNodeNetwork(net, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  await runCommand(forward.command, forward.args);
}

/** Deleting the namespace takes the veth pair, the pod bridge and every iptables rule in it along. */
export async function deleteNodeNetwork(net: NodeNetwork): Promise<void> {
  if (existsSync(netnsPath(net))) await runCommand('ip', ['netns', 'delete', net.netns], { allowFailure: true });
  if (await linkExists(net.vethHost)) await runCommand('ip', ['link', 'delete', net.vethHost], { allowFailure: true });
}

export async function linkExists(name: string): Promise<boolean> {
  return (await runCommand('ip', ['link', 'show', 'dev', name], { allowFailure: true })).code === 0;
}
