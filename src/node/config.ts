import { stringify } from 'yaml';
import { PAUSE_IMAGE } from './versions.ts';

/**
 * The real node's configuration files, as pure functions of its layout: containerd's config, the
 * CNI network and the kubelet's configuration and kubeconfig.
 */
export interface NodeLayout {
  nodeName: string;
  /** Where containerd and the kubelet keep their state (inside the cluster folder). */
  stateDir: string;
  binDir: string;
  cniBinDir: string;
  cniConfDir: string;
  nodeIp: string;
  podCidr: string;
  /** The pod bridge inside the node's namespace. */
  bridge: string;
  /** containerd's socket and state: the standard path, so a hostPath /run/containerd means what Falco expects. */
  containerdRunDir: string;
  caCert: string;
  servingCert: string;
  servingKey: string;
}

/** The node's identity in the cluster: a label to select it and a taint that keeps everything else away. */
export const REAL_NODE_LABEL = 'falconer.dev/node-kind';
export const REAL_NODE_LABEL_VALUE = 'real';
export const REAL_NODE_TAINT_KEY = 'falconer.dev/real-node';
export const REAL_NODE_TAINT = `${REAL_NODE_TAINT_KEY}=true:NoSchedule`;

/** containerd 2.x, config schema 3. */
export function containerdConfig(l: NodeLayout): string {
  const cri = (plugin: string, sub = ''): string => `[plugins.'io.containerd.cri.v1.${plugin}'${sub}]`;
  return [
    'version = 3',
    `root = ${JSON.stringify(`${l.stateDir}/containerd`)}`,
    `state = ${JSON.stringify(l.containerdRunDir)}`,
    '',
    '[grpc]',
    `  address = ${JSON.stringify(`${l.containerdRunDir}/containerd.sock`)}`,
    '',
    "[plugins.'io.containerd.internal.v1.opt']",
    `  path = ${JSON.stringify(`${l.stateDir}/opt`)}`,
    "[plugins.'io.containerd.nri.v1.nri']",
    '  disable = true',
    cri('images'),
    "  snapshotter = 'overlayfs'",
    cri('images', '.pinned_images'),
    // Imported at start-up, never pulled: nothing here can reach a registry.
    `  sandbox = ${JSON.stringify(PAUSE_IMAGE)}`,
    cri('runtime'),
    // This machine's root lacks CAP_SYS_RESOURCE, so runc cannot lower oom_score_adj to the
    // kubelet's -998 for sandboxes; without this every sandbox fails to start.
    '  restrict_oom_score_adj = true',
    cri('runtime', '.containerd'),
    "  default_runtime_name = 'runc'",
    cri('runtime', '.containerd.runtimes.runc'),
    "  runtime_type = 'io.containerd.runc.v2'",
    cri('runtime', '.containerd.runtimes.runc.options'),
    `  BinaryName = ${JSON.stringify(`${l.binDir}/runc`)}`,
    '  SystemdCgroup = false',
    cri('runtime', '.cni'),
    `  bin_dirs = [${JSON.stringify(l.cniBinDir)}]`,
    `  conf_dir = ${JSON.stringify(l.cniConfDir)}`,
    '',
  ].join('\n');
}

export const CNI_NETWORK = 'falconer-node';

export function cniConflist(l: NodeLayout): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: CNI_NETWORK,
      plugins: [
        {
          type: 'bridge',
          bridge: l.bridge,
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: { type: 'host-local', dataDir: `${l.stateDir}/cni-ipam`, ranges: [[{ subnet: l.podCidr }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

export function kubeletConfig(l: NodeLayout): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // Real authentication both ways: the API server shows a client certificate from the cluster
    // CA, bearer tokens are checked with a TokenReview, and every request is authorised with a
    // SubjectAccessReview. No anonymous access.
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: l.caCert } },
    authorization: { mode: 'Webhook' },
    tlsCertFile: l.servingCert,
    tlsPrivateKeyFile: l.servingKey,
    address: l.nodeIp,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    // This machine is a hybrid cgroup v1 host: cgroupfs, and v1 explicitly allowed (the default flips in 1.35).
    cgroupDriver: 'cgroupfs',
    failCgroupV1: false,
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${l.containerdRunDir}/containerd.sock`,
    podLogsDir: `${l.stateDir}/pod-logs`,
    podCIDR: l.podCidr,
    resolvConf: '/etc/resolv.conf',
    registerWithTaints: [{ key: REAL_NODE_TAINT_KEY, value: 'true', effect: 'NoSchedule' }],
    serializeImagePulls: false,
    // Images are imported by hand and can never be pulled again: never garbage-collect them.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    maxPods: 50,
  });
}

/** The kubelet's kubeconfig: the API server through the relay, its self-signed certificate still verified. */
export function kubeletKubeconfig(options: { server: string; apiServerCaPem: string; tlsServerName: string; clientCert: string; clientKey: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'local',
        cluster: {
          server: options.server,
          'certificate-authority-data': Buffer.from(options.apiServerCaPem).toString('base64'),
          // The serving certificate has no SAN for the relay's address; it does for "kubernetes".
          'tls-server-name': options.tlsServerName,
        },
      },
    ],
    users: [{ name: 'kubelet', user: { 'client-certificate': options.clientCert, 'client-key': options.clientKey } }],
    contexts: [{ name: 'kubelet', context: { cluster: 'local', user: 'kubelet' } }],
    'current-context': 'kubelet',
  });
}
