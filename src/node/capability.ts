import { existsSync, readFileSync } from 'node:fs';

/** Why this machine cannot run the real node, or undefined when it can. */
export function realNodeUnsupportedReason(): string | undefined {
  if (process.platform !== 'linux') return `the real node needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'the real node needs root (network namespaces, mounts, cgroups)';
  if (!existsSync('/sys/fs/cgroup')) return 'no cgroup filesystem at /sys/fs/cgroup';
  if (!existsSync('/sys/kernel/btf/vmlinux')) return 'the kernel exposes no BTF (/sys/kernel/btf/vmlinux), which Falco\'s modern eBPF probe needs';
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const caps = capEff !== undefined ? BigInt(`0x${capEff}`) : 0n;
  // CAP_SYS_ADMIN (21) for namespaces and mounts, CAP_NET_ADMIN (12) for the veth pair, CAP_BPF (39) for Falco.
  for (const [bit, name] of [[21n, 'CAP_SYS_ADMIN'], [12n, 'CAP_NET_ADMIN'], [39n, 'CAP_BPF']] as const) {
    if ((caps & (1n << bit)) === 0n) return `the real node needs ${name}, which this process lacks`;
  }
  return undefined;
}
