import type { V1Container, V1SecurityContext, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { Driver } from '../../api/monitor-image.ts';

/** Host paths one Falco pod needs for a driver, as volumes plus mounts into the falco container. */
export interface DriverPodParts {
  volumes: V1Volume[];
  mounts: V1VolumeMount[];
  securityContext: V1SecurityContext;
  /** The kernel-module loader, for kmod only. */
  initContainers: V1Container[];
}

interface HostMount {
  name: string;
  hostPath: string;
  mountPath: string;
  readOnly: boolean;
}

/** /proc and /etc for process and host metadata; runtime sockets for the container plugin. */
const COMMON: HostMount[] = [
  { name: 'proc-fs', hostPath: '/proc', mountPath: '/host/proc', readOnly: true },
  { name: 'etc-fs', hostPath: '/etc', mountPath: '/host/etc', readOnly: true },
  { name: 'containerd-run', hostPath: '/run/containerd', mountPath: '/host/run/containerd', readOnly: false },
  { name: 'crio-run', hostPath: '/run/crio', mountPath: '/host/run/crio', readOnly: false },
];

/** What building and loading a kernel module reads (as the Falco chart mounts them). */
const KMOD: HostMount[] = [
  { name: 'dev-fs', hostPath: '/dev', mountPath: '/host/dev', readOnly: true },
  { name: 'sys-module', hostPath: '/sys/module', mountPath: '/sys/module', readOnly: false },
  { name: 'boot-fs', hostPath: '/boot', mountPath: '/host/boot', readOnly: true },
  { name: 'lib-modules', hostPath: '/lib/modules', mountPath: '/host/lib/modules', readOnly: false },
  { name: 'usr-fs', hostPath: '/usr', mountPath: '/host/usr', readOnly: true },
];

/**
 * modern_ebpf with leastPrivileged runs with the four capabilities the Falco chart grants
 * (BPF, PERFMON, SYS_RESOURCE, SYS_PTRACE) and an unconfined AppArmor profile, which the
 * eBPF program loading needs; everything else is privileged, as a kernel driver must be.
 * `none` reads no kernel events and gets no privileges at all.
 */
export function driverSecurityContext(driver: Driver): V1SecurityContext {
  if (driver.kind === 'none') {
    return { privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  }
  if (driver.kind === 'modern_ebpf' && driver.leastPrivileged) {
    return {
      privileged: false,
      capabilities: { drop: ['ALL'], add: ['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE'] },
      appArmorProfile: { type: 'Unconfined' },
    };
  }
  return { privileged: true };
}

export function driverPodParts(driver: Driver, loaderImage: string): DriverPodParts {
  const hostMounts = driver.kind === 'none' ? [] : driver.kind === 'kmod' ? [...COMMON, ...KMOD] : COMMON;
  const volumes = hostMounts.map((m) => ({ name: m.name, hostPath: { path: m.hostPath } }));
  const mounts = hostMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly }));
  const initContainers = driver.kind === 'kmod' ? [kmodLoader(loaderImage, mounts)] : [];
  return { volumes, mounts, securityContext: driverSecurityContext(driver), initContainers };
}

/** Falco's driver loader builds or downloads the module for the node's kernel and inserts it. */
function kmodLoader(image: string, mounts: V1VolumeMount[]): V1Container {
  return {
    name: 'falco-driver-loader',
    image,
    args: ['kmod'],
    securityContext: { privileged: true },
    volumeMounts: mounts,
    env: [{ name: 'HOST_ROOT', value: '/host' }],
  };
}
