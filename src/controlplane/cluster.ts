import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { FalconerError } from '../core/errors.ts';
import { ensureBinaries } from './build.ts';
import type { BuildProgress } from './build.ts';
import { apiServerArgs, controllerManagerArgs, etcdArgs, schedulerArgs } from './components.ts';
import type { ClusterLayout } from './components.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { KWOK_CONFIG, kwokArgs, kwokCommand } from './kwok.ts';
import { installKwokResources, createNodes, waitForNodesReady, waitForDefaultServiceAccount } from './setup.ts';
import { freePorts } from './ports.ts';
import { writeCredentials } from './pki.ts';
import { isAlive, killNow, logTail, startProcess } from './processes.ts';
import type { ComponentProcess, StartOptions } from './processes.ts';
import { probe, waitFor } from './probe.ts';
import { clusterDir, readState, reapOrphans, stopFromState, writeState } from './state.ts';
import { startRealNode } from '../node/start.ts';
import { killRealNodeNow } from '../node/teardown.ts';
import type { RealNodeRecord } from '../node/record.ts';
import type { ClusterState } from './state.ts';

export interface StartClusterOptions {
  name?: string;
  nodes?: number;
  /** Folders put first on kwok's PATH: where `exec` into a simulated pod finds its commands. */
  execPath?: readonly string[];
  /** Add one real node (kubelet, containerd, runc, CNI in its own network namespace; src/node). */
  realNode?: boolean;
  /** Leave the cluster running after this process exits (`falconer cluster up`). */
  detached?: boolean;
  onStep?: (message: string) => void;
  onBuildProgress?: (p: BuildProgress) => void;
  env?: NodeJS.ProcessEnv;
}

export interface LocalCluster {
  name: string;
  dir: string;
  kubeconfigPath: string;
  server: string;
  /** kwok's simulated nodes. */
  nodeNames: string[];
  /** The real node, when started with `realNode`. */
  realNode?: RealNodeRecord;
  binDir: string;
  kwokDataDir: string;
  buildSeconds: number;
  startupSeconds: number;
  components: ComponentProcess[];
  /** How each component was started: `restartComponent` (restart.ts) starts it again the same way. */
  launches: Readonly<Record<string, StartOptions>>;
  kubeConfig(): KubeConfig;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 120_000;

export async function startCluster(options: StartClusterOptions = {}): Promise<LocalCluster> {
  const step = options.onStep ?? ((): void => undefined);
  await reapOrphans(options.env);
  const bins = await ensureBinaries({
    ...(options.onBuildProgress ? { onProgress: options.onBuildProgress } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const started = Date.now();
  const name = options.name ?? `falconer-${process.pid}`;
  const dir = clusterDir(name, options.env);
  const previous = readState(dir);
  if (previous !== undefined && previous.components.some((c) => isAlive(c.pid))) {
    throw new FalconerError(`Local cluster "${name}" is already running (kubeconfig ${previous.kubeconfigPath}); stop it with: falconer cluster down --name ${name}`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const creds = writeCredentials(dir);
  const [etcdClientPort, etcdPeerPort, apiServerPort, kwokPort, schedulerPort, controllerManagerPort] = await freePorts(6);
  const layout: ClusterLayout = {
    dir,
    etcdClientPort: etcdClientPort ?? 0,
    etcdPeerPort: etcdPeerPort ?? 0,
    apiServerPort: apiServerPort ?? 0,
    kwokPort: kwokPort ?? 0,
    schedulerPort: schedulerPort ?? 0,
    controllerManagerPort: controllerManagerPort ?? 0,
    tokenFile: creds.tokenFile,
    serviceAccountKey: creds.serviceAccountKey,
    serviceAccountPub: creds.serviceAccountPub,
    caCert: creds.caCert,
    kubeletClientCert: creds.kubeletClientCert,
    kubeletClientKey: creds.kubeletClientKey,
    kubeconfig: join(dir, 'kubeconfig'),
  };
  const server = `https://127.0.0.1:${layout.apiServerPort}`;
  const components: ComponentProcess[] = [];
  const launches: Record<string, StartOptions> = {};
  const state: ClusterState = {
    name,
    dir,
    ownerPid: process.pid,
    detached: options.detached === true,
    binDir: bins.dir,
    kubeconfigPath: layout.kubeconfig,
    server,
    nodes: [],
    startedAt: new Date().toISOString(),
    components: [],
  };
  const start = (component: string, args: string[], env?: NodeJS.ProcessEnv, wrap = (command: string, a: string[]) => ({ command, args: a })): ComponentProcess => {
    const launch: StartOptions = {
      name: component,
      ...wrap(join(bins.dir, component), args),
      logFile: join(dir, 'logs', `${component}.log`),
      cwd: dir,
      detached: options.detached === true,
      ...(env ? { env } : {}),
    };
    launches[component] = launch;
    const proc = startProcess(launch);
    components.push(proc);
    state.components.push({ name: proc.name, pid: proc.pid, logFile: proc.logFile });
    writeState(state);
    return proc;
  };
  const exitGuard = (): void => {
    if (options.detached === true) return;
    if (state.realNode !== undefined) killRealNodeNow(state.realNode);
    for (const c of components) killNow(c.pid);
  };
  process.on('exit', exitGuard);
  const stop = async (keepFiles = false): Promise<void> => {
    process.off('exit', exitGuard);
    // The state file, not the start-up record: a restarted component has a new pid (restart.ts).
    await stopFromState(readState(dir) ?? state);
    if (!keepFiles) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const died = (p: ComponentProcess) => (): string | undefined =>
      p.exited() !== undefined ? `${p.name} exited (${JSON.stringify(p.exited())}):\n${logTail(p.logFile)}` : undefined;

    step('Starting etcd');
    const etcd = start('etcd', etcdArgs(layout));
    await waitFor('etcd /health', async () => (await probe(`http://127.0.0.1:${layout.etcdClientPort}/health`))?.status === 200, {
      timeoutMs: STARTUP_TIMEOUT_MS,
      abortIf: died(etcd),
    });

    step('Starting kube-apiserver');
    const apiserver = start('kube-apiserver', apiServerArgs(layout));
    const caFile = join(dir, 'pki', 'apiserver.crt');
    await waitFor('kube-apiserver serving certificate', async () => existsSync(caFile), { timeoutMs: STARTUP_TIMEOUT_MS, abortIf: died(apiserver) });
    const caPem = readFileSync(caFile, 'utf8');
    await waitFor(
      'kube-apiserver /readyz',
      async () => (await probe(`${server}/readyz`, { ca: caPem, token: creds.adminToken }))?.status === 200,
      { timeoutMs: STARTUP_TIMEOUT_MS, intervalMs: 200, abortIf: died(apiserver), describe: () => logTail(apiserver.logFile) },
    );
    writeKubeconfig(layout.kubeconfig, { name, server, caPem, token: creds.adminToken });
    const kc = new KubeConfig();
    kc.loadFromFile(layout.kubeconfig);

    step('Starting kube-controller-manager and kube-scheduler');
    const kcm = start('kube-controller-manager', controllerManagerArgs(layout, caFile));
    const scheduler = start('kube-scheduler', schedulerArgs(layout));
    for (const [proc, port] of [[kcm, layout.controllerManagerPort], [scheduler, layout.schedulerPort]] as const) {
      await waitFor(`${proc.name} /healthz`, async () => (await probe(`https://127.0.0.1:${port}/healthz`, { insecure: true }))?.status === 200, {
        timeoutMs: STARTUP_TIMEOUT_MS,
        intervalMs: 200,
        abortIf: died(proc),
        describe: () => logTail(proc.logFile),
      });
    }

    step('Starting kwok (simulated kubelets)');
    await installKwokResources(kc, bins.kwokDataDir);
    const kwokConfig = join(dir, 'kwok.yaml');
    writeFileSync(kwokConfig, KWOK_CONFIG);
    const pathDirs = [...(options.execPath ?? []), process.env['PATH'] ?? ''].filter((p) => p !== '');
    const kwok = start(
      'kwok',
      kwokArgs({ kubeconfig: layout.kubeconfig, port: layout.kwokPort, configFile: kwokConfig }),
      { ...process.env, PATH: pathDirs.join(':') },
      (command, args) => kwokCommand(command, args, options.execPath ?? []),
    );
    await waitFor('kwok kubelet server', async () => (await probe(`https://127.0.0.1:${layout.kwokPort}/healthz`, { insecure: true })) !== undefined, {
      timeoutMs: STARTUP_TIMEOUT_MS,
      abortIf: died(kwok),
      describe: () => logTail(kwok.logFile),
    });

    const count = options.nodes ?? 3;
    step(`Creating ${count} simulated nodes`);
    const nodeNames = await createNodes(kc, count);
    state.nodes = nodeNames;
    writeState(state);
    await waitForNodesReady(kc, nodeNames, STARTUP_TIMEOUT_MS);
    await waitForDefaultServiceAccount(kc, STARTUP_TIMEOUT_MS);

    if (options.realNode === true) {
      step('Starting the real node');
      await startRealNode({
        clusterDir: dir,
        apiServerPort: layout.apiServerPort,
        kubeConfig: kc,
        detached: options.detached === true,
        onRecord: (record) => {
          state.realNode = record;
          writeState(state);
        },
        onStep: step,
        ...(options.env ? { env: options.env } : {}),
      });
    }

    return {
      name,
      dir,
      kubeconfigPath: layout.kubeconfig,
      server,
      nodeNames,
      ...(state.realNode !== undefined ? { realNode: state.realNode } : {}),
      binDir: bins.dir,
      kwokDataDir: bins.kwokDataDir,
      buildSeconds: bins.buildSeconds,
      startupSeconds: (Date.now() - started) / 1000,
      components,
      launches,
      kubeConfig: () => {
        const k = new KubeConfig();
        k.loadFromFile(layout.kubeconfig);
        return k;
      },
      stop: () => stop(),
    };
  } catch (err) {
    // Keep the component logs: they are the only way to tell why start-up failed.
    await stop(true);
    throw new FalconerError(`Local cluster "${name}" did not start; component logs are in ${join(dir, 'logs')}`, { cause: err });
  }
}
