import type { V1ConfigMap } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { MonitorSpec } from '../../api/monitor.ts';
import { CONTAINER_PLUGIN, CONTAINER_RUNTIMES, pluginLibrary } from '../../api/monitor-plugins.ts';
import type { ContainerPlugin, Plugin } from '../../api/monitor-plugins.ts';
import { labelsFor } from '../../api/names.ts';
import { DEFAULT_RULES_FILE, RULES_DIR } from './bundle.ts';
import { childName, contentHash, shortHash } from './hash.ts';

export const CONFIG_DIR = '/etc/falconer/config';
/**
 * The official image has no ENTRYPOINT (only `CMD ["/usr/bin/falco"]`), so a container that sets
 * args alone would run its first arg: every container Falconer renders names the binary.
 */
export const FALCO_BINARY = '/usr/bin/falco';
export const CONFIG_KEY = 'falco.yaml';
export const HTTP_CA_DIR = '/etc/falconer/http-ca';
export const HEALTH_PORT = 8765;
export const HEALTH_PATH = '/healthz';
/** Falco's Prometheus endpoint, on the same webserver and port as the health probe. */
export const METRICS_PATH = '/metrics';
export const CONFIG_HASH_ANNOTATION = 'falconer.dev/config-hash';

/** The spec fields falco.yaml is generated from. */
export type FalcoConfigSpec = Pick<
  MonitorSpec,
  'driver' | 'minimumPriority' | 'outputs' | 'extraConfig' | 'includeDefaultRules' | 'containerPlugin' | 'plugins' | 'metrics'
>;

const ENGINE_KIND = { modern_ebpf: 'modern_ebpf', kmod: 'kmod', none: 'nodriver' } as const;

/**
 * The keys Falconer owns, derived from the spec. `watch_config_files` is off: a rules or config
 * change is a new pod template (content-addressed ConfigMaps), so every node restarts onto the
 * same verified bytes instead of relying on inotify, which misses kubelet's symlink swap.
 * The bundle is listed as its directory: Falco loads a directory's *.yaml files in name order,
 * and bundle keys start with their position. So falco.yaml does not change with the bundle, and
 * a pod still mounting the previous bundle never reads a config that names files it lacks.
 */
export function ownedFalcoConfig(spec: FalcoConfigSpec): Record<string, unknown> {
  const { outputs } = spec;
  return {
    rules_files: spec.includeDefaultRules ? [DEFAULT_RULES_FILE, RULES_DIR] : [RULES_DIR],
    // The image's /etc/falco/config.d drop-ins would be read after this file and win: its
    // `load_plugins: [container]` names a plugin this file may not configure (Falco then stops
    // with "plugin config not found") and overrides the user's plugins. Falconer renders the
    // whole configuration instead, including what those drop-ins set (see IMAGE_DEFAULTS).
    config_files: [],
    load_plugins: loadPlugins(spec),
    plugins: pluginEntries(spec),
    watch_config_files: false,
    engine: { kind: ENGINE_KIND[spec.driver.kind] },
    priority: spec.minimumPriority.toLowerCase(),
    json_output: outputs.json,
    stdout_output: { enabled: outputs.stdout },
    // Disabled outputs are left out (Falco's default is off): Falco's schema requires
    // filename/url/program on each of them, even when disabled.
    ...(outputs.file ? { file_output: { enabled: true, keep_alive: outputs.file.keepAlive, filename: outputs.file.path } } : {}),
    ...(outputs.http ? { http_output: httpOutput(outputs.http) } : {}),
    ...(outputs.program
      ? { program_output: { enabled: true, keep_alive: outputs.program.keepAlive, program: outputs.program.command } }
      : {}),
    webserver: { enabled: true, listen_port: HEALTH_PORT, k8s_healthz_endpoint: HEALTH_PATH, prometheus_metrics_enabled: true },
    metrics: falcoMetrics(spec),
    log_stderr: true,
  };
}

/**
 * Falco's metrics, read by Prometheus and by the operator on the webserver's /metrics. Values
 * are computed when scraped; `interval` only paces the outputs that stay off here (a metrics
 * alert every interval, a metrics file). Always on: the sha256 info metrics (emitted whenever
 * metrics are enabled), the rules counters, and the kernel event counters with their drops.
 */
function falcoMetrics(spec: FalcoConfigSpec): Record<string, unknown> {
  const m = spec.metrics;
  return {
    enabled: true,
    interval: '1m',
    output_rule: false,
    rules_counters_enabled: true,
    resource_utilization_enabled: m.resourceUtilization,
    state_counters_enabled: m.stateCounters,
    kernel_event_counters_enabled: true,
    kernel_event_counters_per_cpu_enabled: false,
    libbpf_stats_enabled: false,
    plugins_metrics_enabled: m.pluginMetrics,
    convert_memory_to_mb: false,
    include_empty_values: false,
  };
}

function httpOutput(http: NonNullable<FalcoConfigSpec['outputs']['http']>): Record<string, unknown> {
  return {
    enabled: true,
    url: http.url,
    ...(http.userAgent !== undefined ? { user_agent: http.userAgent } : {}),
    insecure: http.tls?.insecureSkipVerify ?? false,
    ...(http.tls?.ca !== undefined ? { ca_cert: `${HTTP_CA_DIR}/ca.crt` } : {}),
  };
}

/** The plugins Falco loads, in order: the container plugin first, then the user's. */
export function loadPlugins(spec: FalcoConfigSpec): string[] {
  return [...(spec.containerPlugin.enabled ? [CONTAINER_PLUGIN] : []), ...(spec.plugins ?? []).map((p) => p.name)];
}

function pluginEntries(spec: FalcoConfigSpec): Record<string, unknown>[] {
  const container = spec.containerPlugin.enabled ? [containerPluginEntry(spec.containerPlugin)] : [];
  return [...container, ...(spec.plugins ?? []).map(userPluginEntry)];
}

function userPluginEntry(plugin: Plugin): Record<string, unknown> {
  return {
    name: plugin.name,
    library_path: pluginLibrary(plugin),
    ...(plugin.initConfig !== undefined ? { init_config: plugin.initConfig } : {}),
    ...(plugin.openParams !== undefined ? { open_params: plugin.openParams } : {}),
  };
}

/**
 * Each socket engine with the plugin's own default socket. A disabled engine still lists one:
 * older plugins (0.4) require `sockets`, and an empty list reaches the plugin as null, which its
 * schema refuses ("Value type not permitted").
 */
const SOCKET_ENGINES = {
  docker: '/var/run/docker.sock',
  podman: '/run/podman/podman.sock',
  containerd: '/run/host-containerd/containerd.sock',
  cri: '/run/containerd/containerd.sock',
} as const;
/** Engines that find containers from cgroup names alone, without a socket: on, as the plugin's defaults. */
const SOCKETLESS_ENGINES = ['lxc', 'libvirt_lxc', 'bpm'] as const;

/**
 * The container plugin with every engine spelled out (its schema requires all of them once
 * `engines` is given, and `sockets` on each socket engine in older releases). Sockets are host
 * paths: the plugin prefixes HOST_ROOT itself, where the DaemonSet mounts them.
 */
export function containerPluginEntry(plugin: ContainerPlugin): Record<string, unknown> {
  const engines: Record<string, unknown> = {};
  for (const [engine, fallback] of Object.entries(SOCKET_ENGINES)) {
    const sockets = plugin.runtimes
      .filter((r) => (CONTAINER_RUNTIMES[r].engines as readonly string[]).includes(engine))
      .map((r) => CONTAINER_RUNTIMES[r].socket);
    engines[engine] = sockets.length > 0 ? { enabled: true, sockets } : { enabled: false, sockets: [fallback] };
  }
  for (const engine of SOCKETLESS_ENGINES) engines[engine] = { enabled: true };
  return {
    name: CONTAINER_PLUGIN,
    library_path: 'libcontainer.so',
    init_config: { label_max_len: plugin.labelMaxLen, with_size: plugin.withSize, hooks: plugin.hooks, engines },
  };
}

/**
 * What the official image sets in its config.d drop-ins, which Falconer no longer reads: the
 * user's extraConfig may change these.
 */
const IMAGE_DEFAULTS = { time_format_iso_8601: true } as const;

/**
 * `append_output`: the plugins' suggested fields first (container and pod names in every alert,
 * which the default rules' outputs rely on since Falco 0.41), then the user's own entries.
 */
function appendOutput(spec: FalcoConfigSpec): unknown[] {
  const user = spec.extraConfig?.['append_output'];
  return [...(spec.outputs.suggestedFields ? [{ suggested_output: true }] : []), ...(Array.isArray(user) ? user : [])];
}

/** falco.yaml text: image defaults, the user's extraConfig, then Falconer's keys on top. Pure. */
export function renderFalcoConfig(spec: FalcoConfigSpec): string {
  const config = { ...IMAGE_DEFAULTS, ...(spec.extraConfig ?? {}), append_output: appendOutput(spec), ...ownedFalcoConfig(spec) };
  return `# Generated by Falconer from the FalcoMonitor spec; edits are overwritten.\n${stringify(config)}`;
}

/**
 * `<monitor>-config-<hash>`: content-addressed and immutable like the bundles, so a new
 * falco.yaml waits for its verification Job while the pods keep mounting the last good one.
 */
export function configMapName(monitor: string, configHash: string): string {
  return childName(monitor, `config-${shortHash(configHash)}`);
}

export function desiredConfigConfigMap(monitor: string, namespace: string, falcoYaml: string): V1ConfigMap {
  const hash = contentHash(falcoYaml);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(monitor, hash),
      namespace,
      labels: labelsFor(monitor, 'config'),
      annotations: { [CONFIG_HASH_ANNOTATION]: hash },
    },
    immutable: true,
    data: { [CONFIG_KEY]: falcoYaml },
  };
}
