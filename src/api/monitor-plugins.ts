/**
 * Falco plugins of a monitor: the container plugin (on by default, as in the official image) and
 * any further plugins the user loads. Falconer renders falco.yaml's `plugins` and `load_plugins`
 * from these fields, so both keys are owned (falco-config.ts), and every plugin entry reaches the
 * verification Job's Falco before it can reach a node: a plugin that cannot load fails there.
 */
import * as z from 'zod';
import { listMap, listSet, withRules } from './openapi/meta.ts';

/**
 * Container runtimes the container plugin can ask for metadata, each with the plugin engine it
 * speaks, the socket it dials (a host path: the plugin prefixes HOST_ROOT itself) and the host
 * path Falconer mounts for it. Only the chosen runtimes are mounted.
 */
export const CONTAINER_RUNTIMES = {
  containerd: { engines: ['cri'], socket: '/run/containerd/containerd.sock', mount: '/run/containerd', type: 'directory' },
  crio: { engines: ['cri'], socket: '/run/crio/crio.sock', mount: '/run/crio', type: 'directory' },
  k3s: { engines: ['cri'], socket: '/run/k3s/containerd/containerd.sock', mount: '/run/k3s/containerd', type: 'directory' },
  'host-containerd': {
    engines: ['cri', 'containerd'],
    socket: '/run/host-containerd/containerd.sock',
    mount: '/run/host-containerd',
    type: 'directory',
  },
  docker: { engines: ['docker'], socket: '/var/run/docker.sock', mount: '/var/run/docker.sock', type: 'socket' },
  podman: { engines: ['podman'], socket: '/run/podman/podman.sock', mount: '/run/podman', type: 'directory' },
} as const satisfies Record<string, ContainerRuntime>;

interface ContainerRuntime {
  /** Engines of the container plugin's init_config that list this socket. */
  engines: readonly ('cri' | 'containerd' | 'docker' | 'podman')[];
  socket: string;
  /** What is mounted from the host: the socket's folder, or the socket itself where its folder is /var/run. */
  mount: string;
  /** A socket mount is made with hostPath type Socket: the pod does not start where the socket is missing. */
  type: 'directory' | 'socket';
}

export type ContainerRuntimeName = keyof typeof CONTAINER_RUNTIMES;
export const CONTAINER_RUNTIME_NAMES = Object.keys(CONTAINER_RUNTIMES) as ContainerRuntimeName[];
export const DEFAULT_CONTAINER_RUNTIMES: ContainerRuntimeName[] = ['containerd', 'crio'];
export const CONTAINER_PLUGIN = 'container';

export const containerPluginSchema = z.object({
  enabled: z
    .boolean()
    .default(true)
    .describe('Load the container plugin, which adds container and Kubernetes pod fields to syscall events. The default rules need it.'),
  runtimes: listSet(z.array(z.enum(CONTAINER_RUNTIME_NAMES)).min(1).max(CONTAINER_RUNTIME_NAMES.length))
    .default(DEFAULT_CONTAINER_RUNTIMES)
    .describe(
      'Container runtimes to ask for metadata; only their sockets are mounted. containerd (/run/containerd), crio (/run/crio), k3s (k3s and RKE2, /run/k3s/containerd), host-containerd (/run/host-containerd, e.g. Bottlerocket), docker (/var/run/docker.sock, also behind cri-dockerd; the pod does not start on a node without it), podman (/run/podman).',
    ),
  labelMaxLen: z.int().min(0).max(65536).default(100).describe('Container labels longer than this are not reported.'),
  withSize: z.boolean().default(false).describe('Ask the runtime for container sizes where it supports it (slower).'),
  hooks: listSet(z.array(z.enum(['create', 'start'])).min(1).max(2))
    .default(['create'])
    .describe("Runtime events the plugin listens to; 'create' arrives before the container's first process."),
});
export type ContainerPlugin = z.infer<typeof containerPluginSchema>;

/** A plugin library in Falco's plugin folder (`libfoo.so`) or an absolute path inside the image. */
const LIBRARY_PATH = /^(lib[A-Za-z0-9_.+-]*\.so|\/([A-Za-z0-9_.+-]+\/)*lib[A-Za-z0-9_.+-]*\.so)$/;
const PLUGIN_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

const pluginSchema = withRules(
  z.object({
    name: z.string().max(63).regex(PLUGIN_NAME).describe('The plugin name Falco knows it by, e.g. k8saudit or k8smeta.'),
    libraryPath: z
      .string()
      .max(512)
      .regex(LIBRARY_PATH)
      .optional()
      .describe('Its shared library: a file name in /usr/share/falco/plugins, or an absolute path in the image. Defaults to lib<name>.so.'),
    initConfig: z
      .looseObject({})
      .optional()
      .describe("The plugin's init_config, as its documentation describes it."),
    openParams: z.string().max(4096).optional().describe("The plugin's open_params (source plugins), e.g. http://:9765/k8s-audit."),
  }),
  [
    {
      rule: "self.name != 'container'",
      message: 'plugins must not list the container plugin: configure it with spec.containerPlugin',
      fieldPath: '.name',
      reason: 'FieldValueForbidden',
      holds: (p) => p.name !== CONTAINER_PLUGIN,
    },
    {
      rule: "!has(self.libraryPath) || !self.libraryPath.contains('..')",
      message: 'plugins[].libraryPath must not contain ..',
      fieldPath: '.libraryPath',
      holds: (p) => !(p.libraryPath ?? '').includes('..'),
    },
  ],
);
export type Plugin = z.infer<typeof pluginSchema>;

export const MAX_PLUGINS = 16;

export const pluginsSchema = listMap(z.array(pluginSchema.describe('One plugin.')).max(MAX_PLUGINS), ['name']).describe(
  'Further Falco plugins to load, in this order after the container plugin. Their libraries must be in the image; the verification Job loads them with the rules, so a plugin that cannot start never reaches a node.',
);

/** Library file of a plugin, as falco.yaml's library_path takes it. */
export function pluginLibrary(plugin: Plugin): string {
  return plugin.libraryPath ?? `lib${plugin.name}.so`;
}
