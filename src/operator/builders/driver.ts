import type { V1Container, V1SecurityContext, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { Driver } from '../../api/monitor-image.ts';
import { CONTAINER_RUNTIMES } from '../../api/monitor-plugins.ts';
import type { ContainerPlugin } from '../../api/monitor-plugins.ts';

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
  /** hostPath type; unset mounts whatever is there. */
  type?: 'Socket';
}

/** /proc and /etc for process and host metadata. */
const COMMON: HostMount[] = [
  { name: 'proc-fs', hostPath: '/proc', mountPath: '/host/proc', readOnly: true },
  { name: 'etc-fs', hostPath: '/etc', mountPath: '/host/etc', readOnly: true },
];

/**
 * tracefs and the kernel's BTF under /sys/kernel: Falco 0.42+ attaches some tracepoints through
 * tracefs (its TOCTOU mitigation), which a container's own /sys does not show (as the chart's
 * sysfs mount for modern_ebpf).
 */
const SYS_KERNEL: HostMount = { name: 'sys-kernel', hostPath: '/sys/kernel', mountPath: '/sys/kernel', readOnly: true };

/**
 * The sockets of the runtimes the container plugin asks, each at HOST_ROOT + its host path
 * (the plugin prefixes HOST_ROOT itself). The plugin dials them, so they are writable; nothing
 * else of the host's /run is mounted.
 */
export function runtimeMounts(plugin: ContainerPlugin): HostMount[] {
  if (!plugin.enabled) return [];
  return plugin.runtimes.map((r) => {
    const runtime = CONTAINER_RUNTIMES[r];
    const mount: HostMount = { name: `runtime-${r}`, hostPath: runtime.mount, mountPath: `/host${runtime.mount}`, readOnly: false };
    if (runtime.type === 'socket') mount.type = 'Socket';
    return mount;
  });
}

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

/**
 * Host mounts and privileges of one Falco pod. The container plugin's sockets are mounted only
 * with a syscall driver: without syscall events it has no containers to look up (it is still
 * loaded, since the default rules require it), and a `none` pod gets no host path at all. The
 * loader image is required for kmod (the API refuses a kmod monitor whose loader cannot be named).
 */
export function driverPodParts(driver: Driver, plugin: ContainerPlugin, loaderImage: string | undefined): DriverPodParts {
  const kernel = driver.kind === 'none' ? [] : driver.kind === 'kmod' ? [...COMMON, ...KMOD, SYS_KERNEL] : [...COMMON, SYS_KERNEL];
  const hostMounts = driver.kind === 'none' ? [] : [...kernel, ...runtimeMounts(plugin)];
  const volumes: V1Volume[] = hostMounts.map((m) => ({ name: m.name, hostPath: { path: m.hostPath, ...(m.type ? { type: m.type } : {}) } }));
  const mounts = hostMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly }));
  if (driver.kind === 'kmod' && loaderImage === undefined) {
    throw new Error('driver.kind kmod needs a driver loader image (set driver.loaderImage when image is pinned by digest)');
  }
  const initContainers = driver.kind === 'kmod' && loaderImage !== undefined ? [kmodLoader(loaderImage, kernelMounts(mounts))] : [];
  return { volumes, mounts, securityContext: driverSecurityContext(driver), initContainers };
}

function kernelMounts(mounts: V1VolumeMount[]): V1VolumeMount[] {
  return mounts.filter((m) => !m.name.startsWith('runtime-'));
}

/** The loader image's entrypoint (it has one, unlike Falco's image). */
export const DRIVER_LOADER_COMMAND = '/docker-entrypoint.sh';

/** Falco's driver loader builds or downloads the module for the node's kernel and inserts it. */
function kmodLoader(image: string, mounts: V1VolumeMount[]): V1Container {
  return {
    name: 'falco-driver-loader',
    image,
    command: [DRIVER_LOADER_COMMAND],
    args: ['kmod'],
    securityContext: { privileged: true },
    volumeMounts: mounts,
    env: [{ name: 'HOST_ROOT', value: '/host' }],
  };
}
