import { existsSync } from 'node:fs';
import { ProcessError } from '../core/errors.ts';
import { runCommand } from '../controlplane/run-command.ts';

/** A Debian package the real node needs, and how to tell it is already there. */
interface HostPackage {
  name: string;
  why: string;
  present: () => Promise<boolean>;
}

async function succeeds(command: string, args: readonly string[]): Promise<boolean> {
  try {
    return (await runCommand(command, args, { allowFailure: true })).code === 0;
  } catch {
    return false;
  }
}

const onPath = (binary: string): (() => Promise<boolean>) => () => succeeds('sh', ['-c', `command -v ${binary}`]);

const PACKAGES: readonly HostPackage[] = [
  { name: 'libseccomp-dev', why: 'runc is built with seccomp support', present: () => succeeds('pkg-config', ['--exists', 'libseccomp']) },
  { name: 'pkg-config', why: 'runc\'s cgo build finds libseccomp with it', present: onPath('pkg-config') },
  { name: 'gcc', why: 'runc (cgo) and the pause binary are compiled with it', present: onPath('gcc') },
  { name: 'libc6-dev', why: 'static linking of pause and runc', present: async () => existsSync('/usr/lib/x86_64-linux-gnu/libc.a') || existsSync('/usr/lib/aarch64-linux-gnu/libc.a') },
  { name: 'iptables', why: 'the CNI bridge (masquerade, portmap) and the kubelet program iptables inside the node\'s namespace', present: onPath('iptables') },
  { name: 'iproute2', why: 'creates the node\'s network namespace and veth pair', present: onPath('ip') },
  { name: 'util-linux', why: 'nsenter starts containerd and the kubelet inside the node\'s namespace', present: onPath('nsenter') },
  { name: 'openssl', why: 'issues the kubelet\'s and the API server\'s certificates', present: onPath('openssl') },
];

/**
 * Installs, once per machine, the Debian packages the real node needs and this machine lacks
 * (`apt-get` as root). Returns the names installed; throws with the command to run by hand when
 * that is not possible.
 */
export async function ensureHostPackages(onStep: (message: string) => void = () => undefined): Promise<string[]> {
  const missing: HostPackage[] = [];
  for (const p of PACKAGES) if (!(await p.present())) missing.push(p);
  if (missing.length === 0) return [];
  const names = missing.map((p) => p.name);
  const reasons = missing.map((p) => `${p.name} (${p.why})`).join(', ');
  if (process.getuid?.() !== 0 || !(await succeeds('sh', ['-c', 'command -v apt-get']))) {
    throw new ProcessError(`The real node needs these packages: ${reasons}. Install them (e.g. apt-get install ${names.join(' ')}) and retry.`);
  }
  onStep(`Installing Debian packages for the real node (once per machine): ${reasons}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runCommand('apt-get', ['update'], { env });
  await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...names], { env });
  return names;
}
