/**
 * The benchmark's own local control plane (src/controlplane): real etcd and Kubernetes
 * components, kwok as the kubelet of simulated nodes, and the test-only stand-in `falco` on
 * kwok's PATH so exec into simulated Falco pods answers with recorded real Falco output.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { installCrds } from '../src/api/install.ts';
import { API_GROUP_VERSION, LABEL_COMPONENT, LABEL_MANAGED_BY, MANAGED_BY_VALUE } from '../src/api/names.ts';
import { startCluster } from '../src/controlplane/cluster.ts';
import type { LocalCluster } from '../src/controlplane/cluster.ts';
import { createNodes, serverSideApply, waitForNodesReady } from '../src/controlplane/setup.ts';
import { nodeBinDir, standinDir } from '../test/support/cluster.ts';
import { criLogFileFromFile } from '../test/support/cri-log.ts';
import { verificationOutcomeObjects } from '../test/support/kwok-behaviour.ts';

/** The recorded real Falco 0.42.1 `-V` run that verification pods "print": a successful check. */
const RECORDED_GOOD = new URL('../../shared/falco-outputs/cases/validate_stdin_good_small_json/', import.meta.url).pathname;

export interface BenchCluster {
  cluster: LocalCluster;
  kc: KubeConfig;
  nodeCount(): number;
  createNamespace(prefix: string): Promise<string>;
  deleteNamespace(name: string): Promise<void>;
  /** Waits (bounded) until a deleted namespace and everything in it are gone. */
  waitForNamespaceGone(name: string, timeoutMs: number): Promise<void>;
  /** Verification pods in the namespace succeed at once, printing a recorded good Falco run. */
  verifySucceeds(namespace: string): Promise<void>;
  /** Adds simulated nodes up to `total` and waits until they are Ready. */
  growTo(total: number, timeoutMs: number): Promise<void>;
  /** Waits (bounded) until no Falco pod of any monitor is left, so a new node count starts clean. */
  waitForNoManagedPods(timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

function goodVerificationLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-bench-verify-'));
  const file = join(dir, 'verify.log');
  // A pod log holds stderr (version banner) then stdout (the JSON result), as the kubelet serves it.
  writeFileSync(file, readFileSync(join(RECORDED_GOOD, 'stderr'), 'utf8') + readFileSync(join(RECORDED_GOOD, 'stdout'), 'utf8'));
  return criLogFileFromFile(file);
}

export async function startBenchCluster(nodes: number, onStep: (m: string) => void): Promise<BenchCluster> {
  const cluster = await startCluster({ name: `bench-${process.pid}`, nodes, execPath: [standinDir(), nodeBinDir()], onStep });
  const kc = cluster.kubeConfig();
  await installCrds(kc, { timeoutMs: 60_000 });
  const core = kc.makeApiClient(CoreV1Api);
  const verifyLog = goodVerificationLog();
  let count = nodes;
  return {
    cluster,
    kc,
    nodeCount: () => count,
    async createNamespace(prefix) {
      const name = `${prefix}-${randomBytes(3).toString('hex')}`;
      await core.createNamespace({ body: { metadata: { name, labels: { 'falconer.dev/bench': 'true' } } } });
      return name;
    },
    async deleteNamespace(name) {
      await core.deleteNamespace({ name, propagationPolicy: 'Background' });
    },
    async waitForNamespaceGone(name, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const left = await core.listNamespace({ fieldSelector: `metadata.name=${name}` });
        if (left.items.length === 0) return;
        await sleep(250);
      }
      throw new Error(`namespace ${name} was not gone after ${timeoutMs} ms`);
    },
    verifySucceeds: (namespace) => serverSideApply(kc, verificationOutcomeObjects(namespace, { result: 'succeed', logFile: verifyLog })),
    async growTo(total, timeoutMs) {
      if (total <= count) return;
      const names = await createNodes(kc, total - count, count);
      count = total;
      await waitForNodesReady(kc, names, timeoutMs);
    },
    async waitForNoManagedPods(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let left = 0;
      while (Date.now() < deadline) {
        const pods = await core.listPodForAllNamespaces({ labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE},${LABEL_COMPONENT}=falco`, limit: 1 });
        left = pods.items.length + (pods.metadata?.remainingItemCount ?? 0);
        if (left === 0) return 0;
        await sleep(500);
      }
      return left;
    },
    stop: () => cluster.stop(),
  };
}

export interface Applier {
  ruleSet(namespace: string, name: string, rules: string, labels?: Record<string, string>): Promise<void>;
  monitor(namespace: string, name: string, spec: Record<string, unknown>): Promise<void>;
}

/**
 * Server-side apply, as `kubectl apply --server-side` sends it. One client for the whole run: its
 * discovery lookups are cached after the first call, so a timed apply is a single PATCH.
 */
export function applier(kc: KubeConfig): Applier {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const apply = async (obj: KubernetesObject): Promise<void> => {
    await api.patch(obj, undefined, undefined, 'falconer-bench', true, PatchStrategy.ServerSideApply);
  };
  return {
    ruleSet: (namespace, name, rules, labels = {}) =>
      apply({ apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata: { name, namespace, labels }, spec: { rules } } as KubernetesObject),
    monitor: (namespace, name, spec) => apply({ apiVersion: API_GROUP_VERSION, kind: 'FalcoMonitor', metadata: { name, namespace }, spec } as KubernetesObject),
  };
}

/** A small valid rules file; `tag` changes its content (and so its hash) between edits. */
export function rulesText(rule: string, tag: string | number = 0): string {
  return `- rule: ${rule}\n  desc: benchmark rule (${tag})\n  condition: evt.type = execve and proc.name = bash\n  output: "shell (user=%user.name)"\n  priority: WARNING\n`;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await work(item, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
