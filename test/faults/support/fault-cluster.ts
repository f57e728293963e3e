/**
 * A private local control plane for fault injection: these tests kill etcd and the API server,
 * which must never happen to the run's shared cluster. Same real components, same kwok
 * behaviour (verification pods end as the test says), plus the handles to break things.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { installCrds } from '../../../src/api/install.ts';
import { startCluster } from '../../../src/controlplane/cluster.ts';
import type { LocalCluster } from '../../../src/controlplane/cluster.ts';
import { stopProcess } from '../../../src/controlplane/processes.ts';
import { killComponent, restartComponent } from '../../../src/controlplane/restart.ts';
import { makeTestCluster, nodeBinDir, standinDir } from '../../support/cluster.ts';
import type { TestCluster } from '../../support/cluster.ts';
import { eventually } from '../../support/eventually.ts';

export type Component = 'etcd' | 'kube-apiserver';

export interface FaultCluster {
  local: LocalCluster;
  /** The shared fixture's helpers (namespaces, verification outcomes), on this cluster. */
  test: TestCluster;
  kubeConfig(): KubeConfig;
  apiServerPort: number;
  /** kill -9, then start it again with the same arguments; resolves when the API answers again. */
  crash(component: Component, downMs: number): Promise<void>;
  /**
   * SIGTERM and start again: the API server ends its watches cleanly on the way down, so clients
   * resume them from their last resourceVersion (which, after a compaction, is gone: 410).
   */
  restartGracefully(component: Component): Promise<void>;
  /** Kubeconfig of the admin, with the server address changed (e.g. to a proxy's port). */
  kubeconfigVia(port: number): string;
  /** Compacts etcd's history up to now: every watch or list from an older revision gets 410 Gone. */
  compactEtcd(): Promise<number>;
  stop(): Promise<void>;
}

export async function startFaultCluster(name: string, nodes = 3): Promise<FaultCluster> {
  const local = await startCluster({ name: `${name}-${process.pid}`, nodes, execPath: [standinDir(), nodeBinDir()] });
  process.once('exit', () => void local.stop());
  const test = makeTestCluster(local.kubeconfigPath, local.nodeNames, local.binDir, join(local.dir, 'logs'));
  await installCrds(local.kubeConfig());
  const etcdUrl = flagValue(local, 'etcd', '--listen-client-urls');
  const apiServerPort = Number(flagValue(local, 'kube-apiserver', '--secure-port'));
  return {
    local,
    test,
    kubeConfig: () => local.kubeConfig(),
    apiServerPort,
    async crash(component, downMs) {
      await killComponent(local, component);
      await new Promise((r) => setTimeout(r, downMs));
      restartComponent(local, component);
      await waitForApi(local.kubeConfig());
    },
    async restartGracefully(component) {
      const proc = local.components.find((c) => c.name === component);
      if (proc !== undefined) await stopProcess(proc.pid, 20_000);
      restartComponent(local, component);
      await waitForApi(local.kubeConfig());
    },
    kubeconfigVia(port) {
      const file = join(local.dir, `kubeconfig-via-${port}`);
      const text = readFileSync(local.kubeconfigPath, 'utf8').replace(`https://127.0.0.1:${apiServerPort}`, `https://127.0.0.1:${port}`);
      writeFileSync(file, text, { mode: 0o600 });
      return file;
    },
    compactEtcd: () => compact(etcdUrl),
    stop: () => local.stop(),
  };
}

function flagValue(local: LocalCluster, component: string, flag: string): string {
  const arg = local.launches[component]?.args.find((a) => a.startsWith(`${flag}=`));
  if (arg === undefined) throw new Error(`${component} was started without ${flag}`);
  return arg.slice(flag.length + 1);
}

/** Lists namespaces until it works: the API server is up and reaches etcd again. */
export async function waitForApi(kc: KubeConfig, timeoutMs = 90_000): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await eventually('the API server to answer again', async () => (await core.listNamespace({ limit: 1 })).items.length > 0, timeoutMs, 200);
}

async function etcdPost(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`etcd ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** etcd's gRPC gateway: the current revision from any range read, then a physical compaction. */
async function compact(etcdUrl: string): Promise<number> {
  const range = await etcdPost(`${etcdUrl}/v3/kv/range`, { key: Buffer.from('/registry').toString('base64'), limit: 1 });
  const revision = Number((range['header'] as { revision?: string } | undefined)?.revision ?? 0);
  if (!(revision > 0)) throw new Error(`etcd reported no revision: ${JSON.stringify(range)}`);
  await etcdPost(`${etcdUrl}/v3/kv/compaction`, { revision: String(revision), physical: true });
  return revision;
}
