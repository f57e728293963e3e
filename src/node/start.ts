import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { FalconerError } from '../core/errors.ts';
import { issueCertificate } from '../controlplane/pki.ts';
import { logTail, startProcess } from '../controlplane/processes.ts';
import type { ComponentProcess } from '../controlplane/processes.ts';
import { waitFor } from '../controlplane/probe.ts';
import { runCommand } from '../controlplane/run-command.ts';
import { ensureNodeBinaries } from './build.ts';
import type { NodeBinaries } from './build.ts';
import { REAL_NODE_LABEL, REAL_NODE_LABEL_VALUE, cniConflist, containerdConfig, kubeletConfig, kubeletKubeconfig } from './config.ts';
import type { NodeLayout } from './config.ts';
import { NODE_NETWORK, createNodeNetwork, inNodeNetwork, netnsPath } from './network.ts';
import { CONTAINERD_RUN_DIR, REAL_NODE_NAME } from './paths.ts';
import { takeRealNodeLock } from './lock.ts';
import type { RealNodeRecord } from './record.ts';
import { teardownRealNode } from './teardown.ts';

export interface StartRealNodeOptions {
  /** The cluster's folder: the node lives in `<clusterDir>/node`, and its CA is `<clusterDir>/ca`. */
  clusterDir: string;
  apiServerPort: number;
  kubeConfig: KubeConfig;
  detached: boolean;
  /** Called whenever the record changes, so the state file always knows what to undo. */
  onRecord: (record: RealNodeRecord) => void;
  onStep?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface RealNode {
  record: RealNodeRecord;
  binaries: NodeBinaries;
  components: ComponentProcess[];
}

const READY_TIMEOUT_MS = 120_000;

export async function startRealNode(options: StartRealNodeOptions): Promise<RealNode> {
  const step = options.onStep ?? ((): void => undefined);
  const bins = await ensureNodeBinaries({ onStep: step, ...(options.env ? { env: options.env } : {}) });
  const dir = join(options.clusterDir, 'node');
  const record: RealNodeRecord = { name: REAL_NODE_NAME, nodeIp: NODE_NETWORK.nodeIp, podCidr: NODE_NETWORK.podCidr, dir, binDir: bins.binDir, components: [] };
  await takeRealNodeLock(options.clusterDir);
  // Whatever an earlier, killed node left at the fixed paths goes before this one starts.
  await teardownRealNode(record);
  await takeRealNodeLock(options.clusterDir);
  for (const sub of ['etc/cni/net.d', 'state', 'logs', 'pki']) mkdirSync(join(dir, sub), { recursive: true });
  options.onRecord(record);

  const components: ComponentProcess[] = [];
  const start = (name: string, command: string, args: readonly string[]): ComponentProcess => {
    const proc = startProcess({
      name,
      command,
      args,
      logFile: join(dir, 'logs', `${name}.log`),
      cwd: dir,
      detached: options.detached,
      // containerd finds containerd-shim-runc-v2 on its PATH.
      env: { ...process.env, PATH: `${bins.binDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}:/usr/sbin:/sbin` },
    });
    components.push(proc);
    record.components.push({ name: proc.name, pid: proc.pid, logFile: proc.logFile });
    options.onRecord(record);
    return proc;
  };
  const died = (p: ComponentProcess) => (): string | undefined =>
    p.exited() !== undefined ? `${p.name} exited (${JSON.stringify(p.exited())}):\n${logTail(p.logFile)}` : undefined;

  step(`Creating the real node's network namespace ${NODE_NETWORK.netns} (${NODE_NETWORK.hostIp} <-> ${NODE_NETWORK.nodeIp})`);
  await createNodeNetwork(NODE_NETWORK);
  const relayAddress = `${NODE_NETWORK.hostIp}:${options.apiServerPort}`;
  const relay = start('relay', join(bins.binDir, 'falconer-relay'), ['-listen', relayAddress, '-target', `127.0.0.1:${options.apiServerPort}`]);

  const caDir = join(options.clusterDir, 'ca');
  const client = issueCertificate(caDir, 'kubelet-client', { commonName: `system:node:${REAL_NODE_NAME}`, organisation: 'system:nodes', usage: 'client' });
  const serving = issueCertificate(caDir, 'kubelet-serving', {
    commonName: `system:node:${REAL_NODE_NAME}`,
    organisation: 'system:nodes',
    usage: 'server',
    ipAddresses: [NODE_NETWORK.nodeIp],
    dnsNames: [REAL_NODE_NAME],
  });
  const layout: NodeLayout = {
    nodeName: REAL_NODE_NAME,
    stateDir: join(dir, 'state'),
    binDir: bins.binDir,
    cniBinDir: bins.cniDir,
    cniConfDir: join(dir, 'etc', 'cni', 'net.d'),
    nodeIp: NODE_NETWORK.nodeIp,
    podCidr: NODE_NETWORK.podCidr,
    bridge: NODE_NETWORK.bridge,
    containerdRunDir: CONTAINERD_RUN_DIR,
    caCert: join(caDir, 'ca.crt'),
    servingCert: serving.cert,
    servingKey: serving.key,
  };
  const files = {
    containerd: join(dir, 'etc', 'containerd.toml'),
    cni: join(layout.cniConfDir, '10-falconer-node.conflist'),
    kubelet: join(dir, 'etc', 'kubelet.yaml'),
    kubeconfig: join(dir, 'etc', 'kubelet.kubeconfig'),
  };
  writeFileSync(files.containerd, containerdConfig(layout));
  writeFileSync(files.cni, cniConflist(layout));
  writeFileSync(files.kubelet, kubeletConfig(layout));
  const apiServerCaPem = readFileSync(join(options.clusterDir, 'pki', 'apiserver.crt'), 'utf8');
  writeFileSync(
    files.kubeconfig,
    kubeletKubeconfig({ server: `https://${relayAddress}`, apiServerCaPem, tlsServerName: 'kubernetes', clientCert: client.cert, clientKey: client.key }),
    { mode: 0o600 },
  );

  step('Starting containerd in the node\'s namespace');
  const ctrd = inNodeNetwork(NODE_NETWORK, join(bins.binDir, 'containerd'), ['--config', files.containerd]);
  const containerd = start('containerd', ctrd.command, ctrd.args);
  const ctr = (args: readonly string[]): Promise<unknown> =>
    runCommand(join(bins.binDir, 'ctr'), ['--address', `${CONTAINERD_RUN_DIR}/containerd.sock`, '--namespace', 'k8s.io', ...args]);
  await waitFor('containerd to answer', async () => ctr(['version']).then(() => true, () => false), {
    timeoutMs: 30_000,
    intervalMs: 100,
    abortIf: died(containerd),
  });
  await ctr(['images', 'import', bins.pauseArchive]);

  step(`Starting the kubelet of ${REAL_NODE_NAME}`);
  const kl = inNodeNetwork(NODE_NETWORK, join(bins.binDir, 'kubelet'), [
    `--config=${files.kubelet}`,
    `--kubeconfig=${files.kubeconfig}`,
    `--root-dir=${join(layout.stateDir, 'kubelet')}`,
    `--cert-dir=${join(layout.stateDir, 'kubelet', 'pki')}`,
    `--hostname-override=${REAL_NODE_NAME}`,
    `--node-ip=${NODE_NETWORK.nodeIp}`,
    `--node-labels=${REAL_NODE_LABEL}=${REAL_NODE_LABEL_VALUE}`,
    '--v=1',
  ]);
  const kubelet = start('kubelet', kl.command, kl.args);
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  await waitFor(
    `node ${REAL_NODE_NAME} to be Ready`,
    async () => {
      const node = await core.readNode({ name: REAL_NODE_NAME }).catch(() => undefined);
      return (node?.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200, abortIf: () => died(kubelet)() ?? died(containerd)() ?? died(relay)(), describe: () => logTail(kubelet.logFile) },
  );
  if (!existsSync(netnsPath(NODE_NETWORK))) throw new FalconerError(`The network namespace ${NODE_NETWORK.netns} vanished while the node started`);
  return { record, binaries: bins, components };
}
