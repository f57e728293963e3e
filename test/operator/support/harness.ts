/**
 * Integration harness: the operator running in this test process against the real local control
 * plane, watching one namespace, with every API request it makes recorded (to count writes).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig, V1DaemonSet } from '@kubernetes/client-node';
import { installCrds } from '../../../src/api/install.ts';
import type { MonitorStatus } from '../../../src/api/monitor.ts';
import type { RuleSetStatus } from '../../../src/api/ruleset.ts';
import { API_GROUP, API_VERSION, MONITOR_PLURAL, RULESET_PLURAL } from '../../../src/api/names.ts';
import { serverSideApply } from '../../../src/controlplane/setup.ts';
import { RequestLog } from '../../../src/kube/request-counter.ts';
import { createLogger, silentLogger } from '../../../src/log/logger.ts';
import { startOperator } from '../../../src/operator/start-operator.ts';
import type { OperatorOptions, RunningOperator } from '../../../src/operator/start-operator.ts';
import { getTestCluster } from '../../support/cluster.ts';
import type { TestCluster } from '../../support/cluster.ts';
import { eventually } from '../../support/eventually.ts';

export const IMAGE = 'falcosecurity/falco:0.44.1';
export const RECORDED = new URL('../../../../shared/falco-outputs/cases/', import.meta.url).pathname;

/**
 * A pod log as the kubelet would serve it for a recorded real Falco run: its stderr (log lines,
 * "Falco version: …", "Error: …") followed by its stdout (the JSON result).
 */
export function recordedPodLog(testCase: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-verify-'));
  const file = join(dir, `${testCase}.log`);
  writeFileSync(file, readFileSync(join(RECORDED, testCase, 'stderr'), 'utf8') + readFileSync(join(RECORDED, testCase, 'stdout'), 'utf8'));
  return file;
}

export interface OperatorTest {
  cluster: TestCluster;
  kc: KubeConfig;
  namespace: string;
  requests: RequestLog;
  start(extra?: Partial<OperatorOptions>): Promise<RunningOperator>;
  stopAll(): Promise<void>;
}

let crds: Promise<unknown> | undefined;

export async function setupOperatorTest(prefix: string): Promise<OperatorTest> {
  const cluster = await getTestCluster();
  const kc = cluster.kubeConfig();
  crds ??= installCrds(kc);
  await crds;
  const namespace = await cluster.createNamespace(prefix);
  const requests = new RequestLog();
  const running: RunningOperator[] = [];
  const logger = process.env['FALCONER_TEST_OPERATOR_LOGS'] === '1' ? createLogger({ level: 'debug' }) : silentLogger();
  return {
    cluster,
    kc,
    namespace,
    requests,
    async start(extra = {}) {
      const op = await startOperator({
        kubeConfig: cluster.kubeConfig(),
        logger,
        namespace,
        leaderElection: false,
        requestLog: requests,
        resyncMs: 20_000,
        settings: { verificationDeadlineSeconds: 60, verificationTtlSeconds: 600, configMapPollMs: 5_000 },
        // kwok's pods serve no /metrics: tests that read Falco's metrics pass a responder.
        falcoMetrics: false,
        // Another test may install the PodMonitor CRD into the shared cluster at any moment: a
        // PodMonitor appearing then would be a write the quiet-reconcile checks did not expect.
        podMonitors: false,
        ...extra,
      });
      running.push(op);
      return op;
    },
    async stopAll() {
      await Promise.all(running.splice(0).map((op) => op.stop()));
    },
  };
}

export function applyRuleSet(t: OperatorTest, name: string, rules: string, extra: { labels?: Record<string, string>; loadOrder?: number } = {}): Promise<void> {
  return serverSideApply(t.kc, [
    {
      apiVersion: `${API_GROUP}/${API_VERSION}`,
      kind: 'FalcoRuleSet',
      metadata: { name, namespace: t.namespace, ...(extra.labels ? { labels: extra.labels } : {}) },
      spec: { rules, ...(extra.loadOrder !== undefined ? { loadOrder: extra.loadOrder } : {}) },
    } as never,
  ]);
}

export function applyMonitor(t: OperatorTest, name: string, spec: Record<string, unknown>): Promise<void> {
  return serverSideApply(t.kc, [
    { apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'FalcoMonitor', metadata: { name, namespace: t.namespace, labels: { 'argocd.argoproj.io/instance': 'user-app' } }, spec } as never,
  ]);
}

async function getStatus<T>(t: OperatorTest, plural: string, name: string): Promise<T | undefined> {
  const api = t.kc.makeApiClient(CustomObjectsApi);
  const obj = (await api.getNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: t.namespace, plural, name })) as { status?: T };
  return obj.status;
}

export const monitorStatus = (t: OperatorTest, name: string): Promise<MonitorStatus | undefined> => getStatus(t, MONITOR_PLURAL, name);
export const ruleSetStatus = (t: OperatorTest, name: string): Promise<RuleSetStatus | undefined> => getStatus(t, RULESET_PLURAL, name);

export function conditionOf(status: { conditions?: ReadonlyArray<{ type: string; status: string; reason: string }> | undefined } | undefined, type: string): string {
  const c = status?.conditions?.find((x) => x.type === type);
  return c === undefined ? 'absent' : `${c.status}/${c.reason}`;
}

/** Waits for the monitor's Ready=True with the given rule sets applied, in order. */
export async function waitForReady(t: OperatorTest, monitor: string, ruleSets: string[], timeoutMs = 120_000): Promise<MonitorStatus> {
  let last: MonitorStatus | undefined;
  await eventually(`monitor ${monitor} Ready with ${ruleSets.join(',')}`, async () => {
    last = await monitorStatus(t, monitor);
    const applied = (last?.appliedRuleSets ?? []).map((r) => r.name);
    return conditionOf(last, 'Ready') === 'True/AllNodesReady' && applied.join(',') === ruleSets.join(',');
  }, timeoutMs, 250).catch((err: unknown) => {
    throw new Error(`${String(err)}; last status: ${JSON.stringify(last)}`);
  });
  return last as MonitorStatus;
}

export async function daemonSet(t: OperatorTest, monitor: string): Promise<V1DaemonSet | undefined> {
  const ds = await t.kc.makeApiClient(AppsV1Api).listNamespacedDaemonSet({ namespace: t.namespace });
  return ds.items.find((d) => d.metadata?.name === `${monitor}-falco`);
}

export async function configMapNames(t: OperatorTest): Promise<string[]> {
  const cms = await t.kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: t.namespace, labelSelector: 'app.kubernetes.io/managed-by=falconer' });
  return cms.items.map((c) => c.metadata?.name ?? '').sort();
}

/**
 * The "reconcile quiet" check: wait until the operator has nothing left to do, then reconcile
 * everything again and assert that it sent no write request at all.
 */
export async function assertReconcileQuiet(t: OperatorTest, op: RunningOperator): Promise<{ writes: string[]; reads: number }> {
  await waitIdle(op);
  await sleep(1_000);
  await waitIdle(op);
  const mark = t.requests.mark();
  op.resync();
  await sleep(200);
  await waitIdle(op);
  op.resync();
  await sleep(200);
  await waitIdle(op);
  const writes = t.requests.writesSince(mark);
  return { writes: writes.map((w) => `${w.method} ${w.path}`), reads: t.requests.since(mark).length - writes.length };
}

async function waitIdle(op: RunningOperator): Promise<void> {
  await eventually('operator idle', () => Promise.resolve(op.idle()), 60_000, 50);
}
