/**
 * The real node's figures (`npm run bench -- --only=realnode`): on a local control plane with its
 * real node (kubelet, containerd, runc) running the real Falco 0.44.1 image, measure
 * - FalcoMonitor applied → Ready: a real verification Job (`falco -V`) and a real Falco start
 *   (modern eBPF) through its /healthz probe;
 * - rule-set edit → real verification → the pods run the new bundle and are Ready;
 * - a canary action on this machine → falco_query_alerts returns its alert;
 * - Falco's own CPU and memory on the node while idle.
 * Next to them, the simulated rows of sections 2 (kwok decides Jobs, no Falco runs).
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { installCrds } from '../src/api/install.ts';
import { API_GROUP_VERSION } from '../src/api/names.ts';
import { startCluster } from '../src/controlplane/cluster.ts';
import { silentLogger } from '../src/log/logger.ts';
import { loadImageArchive } from '../src/node/images.ts';
import { startOperator } from '../src/operator/start-operator.ts';
import { monitorSpec } from '../test/node/cases/falco-end-to-end.ts';
import { clusterDeps, connectClient } from '../test/mcp/int-support.ts';
import { falcoImageArchive } from '../test/support/falco-image.ts';
import { realNodeSkipReason } from '../test/support/cluster.ts';
import type { Report } from './report.ts';
import { summarise } from './stats.ts';

const SECTION = '6 real node';
const CANARY = `/tmp/falconer-bench-canary-${process.pid}`;
const RULE = 'Falconer bench canary';

const rules = (variant: number): string => `- rule: ${RULE}
  desc: the benchmark opened its canary file (variant ${variant})
  condition: evt.type in (open, openat, openat2) and fd.name = ${CANARY}
  output: "canary opened (pid=%proc.pid cmdline=%proc.cmdline)"
  priority: WARNING
`;

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

/** utime + stime of a process in clock ticks (100 per second on Linux). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] === undefined ? NaN : Number(m[1]) / 1024;
}

/** The Falco process of a pod, as this machine sees it (the node shares its kernel and PID space view from the root namespace). */
async function falcoPid(): Promise<number> {
  const out = await new Promise<string>((resolve) => {
    const child = spawn('pgrep', ['-f', '^/usr/bin/falco -c /etc/falconer/config/falco.yaml'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('close', () => resolve(text));
  });
  const pid = Number(out.trim().split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('no Falco process of a Falconer monitor on this machine');
  return pid;
}

export async function benchRealNode(report: Report, options: { quick: boolean }, step: (m: string) => void): Promise<void> {
  const skip = realNodeSkipReason();
  if (skip !== undefined) {
    for (const name of ['monitor applied → Ready (real Job + real Falco)', 'rule-set edit → real verification → rolled out', 'canary action → falco_query_alerts returns it', 'Falco idle CPU', 'Falco idle memory (RSS)']) {
      report.na(SECTION, name, name.includes('memory') ? 'MB' : 'ms', `no real node here: ${skip}`);
    }
    return;
  }
  const runs = options.quick ? 2 : 3;
  const cluster = await startCluster({ name: `bench-real-${process.pid}`, nodes: 1, realNode: true, onStep: (m) => step(`  ${m}`) });
  writeFileSync(CANARY, 'canary\n');
  try {
    const kc: KubeConfig = cluster.kubeConfig();
    const node = cluster.realNode;
    if (node === undefined) throw new Error('the cluster started without its real node');
    const falco = await falcoImageArchive('0.44.1');
    await loadImageArchive(node, falco.archive);
    await installCrds(kc, { timeoutMs: 60_000 });
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const core = kc.makeApiClient(CoreV1Api);
    const apply = async (ns: string, kind: string, name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Promise<void> => {
      const body = { apiVersion: API_GROUP_VERSION, kind, metadata: { name, namespace: ns, labels }, spec } as KubernetesObject;
      await objects.patch(body, undefined, undefined, 'bench', true, 'application/apply-patch+yaml');
    };
    const status = async (ns: string): Promise<Record<string, unknown>> =>
      ((await objects.read({ apiVersion: API_GROUP_VERSION, kind: 'FalcoMonitor', metadata: { name: 'realfalco', namespace: ns } })) as { status?: Record<string, unknown> }).status ?? {};
    const ready = async (ns: string, bundle?: unknown): Promise<boolean> => {
      const s = await status(ns);
      const c = (s['conditions'] as Array<{ type: string; status: string; reason: string; observedGeneration?: number }> | undefined)?.find((x) => x.type === 'Ready');
      return c?.status === 'True' && (bundle === undefined || (s['bundleHash'] !== undefined && s['bundleHash'] !== bundle));
    };

    const applyToReady: number[] = [];
    const editToRollout: number[] = [];
    let lastNs = '';
    for (let run = 0; run < runs; run++) {
      const ns = `bench-real-${run}-${process.pid}`;
      await core.createNamespace({ body: { metadata: { name: ns } } });
      const operator = await startOperator({ kubeConfig: kc, logger: silentLogger(), namespace: ns, leaderElection: false, healthPort: 0, metricsPort: 0, bindAddress: '127.0.0.1' });
      try {
        await apply(ns, 'FalcoRuleSet', 'canary', { rules: rules(0) }, { e2e: 'canary' });
        const started = performance.now();
        await apply(ns, 'FalcoMonitor', 'realfalco', monitorSpec(falco.reference));
        await until('monitor Ready', () => ready(ns), 180_000);
        applyToReady.push(performance.now() - started);
        step(`  run ${run + 1}: monitor Ready after ${(applyToReady.at(-1) ?? 0).toFixed(0)} ms`);
        const before = (await status(ns))['bundleHash'];
        const edited = performance.now();
        await apply(ns, 'FalcoRuleSet', 'canary', { rules: rules(run + 1) }, { e2e: 'canary' });
        await until('edit rolled out', () => ready(ns, before), 180_000);
        editToRollout.push(performance.now() - edited);
      } finally {
        await operator.stop();
      }
      if (run < runs - 1) {
        await core.deleteNamespace({ name: ns });
        await until('namespace gone', async () => (await core.listNamespace()).items.every((n) => n.metadata?.name !== ns), 180_000, 500);
      }
      lastNs = ns;
    }
    report.add({ section: SECTION, name: 'monitor applied → Ready (real Job + real Falco)', unit: 'ms', value: summarise(applyToReady) });
    report.add({ section: SECTION, name: 'rule-set edit → real verification → rolled out', unit: 'ms', value: summarise(editToRollout) });

    // The last monitor keeps running: alerts, then Falco idle.
    const operator = await startOperator({ kubeConfig: kc, logger: silentLogger(), namespace: lastNs, leaderElection: false, healthPort: 0, metricsPort: 0, bindAddress: '127.0.0.1' });
    const { client, close } = await connectClient({ ...clusterDeps(kc, lastNs), defaults: { namespace: lastNs, monitor: 'realfalco' } });
    try {
      const alertLatency: number[] = [];
      const seen = async (pid: number): Promise<boolean> => {
        const r = await client.callTool({ name: 'falco_query_alerts', arguments: { rule: RULE, sinceMinutes: 10, limit: 100 } });
        const alerts = ((r.structuredContent as { alerts?: Array<{ fields: Record<string, unknown> }> } | undefined)?.alerts ?? []);
        return alerts.some((a) => Number(a.fields['proc.pid']) === pid);
      };
      // The eBPF probe attaches seconds after Ready: wait for a first alert before timing any.
      await until('a first canary alert', async () => {
        const child = spawn('cat', [CANARY], { stdio: 'ignore' });
        await new Promise((r) => child.on('close', r));
        return seen(child.pid ?? -1);
      }, 90_000, 1000);
      for (let i = 0; i < (options.quick ? 3 : 5); i++) {
        const started = performance.now();
        const child = spawn('cat', [CANARY], { stdio: 'ignore' });
        await until('the canary alert', () => seen(child.pid ?? -1), 30_000, 50);
        alertLatency.push(performance.now() - started);
      }
      report.add({ section: SECTION, name: 'canary action → falco_query_alerts returns it', unit: 'ms', value: summarise(alertLatency), note: 'polling every 50 ms; includes the API server → kubelet log read' });

      const pid = await falcoPid();
      const seconds = options.quick ? 10 : 30;
      const t0 = cpuTicks(pid);
      await sleep(seconds * 1000);
      const msPerSecond = ((cpuTicks(pid) - t0) * 10) / seconds;
      report.add({ section: SECTION, name: 'Falco idle CPU, ms of CPU per second (10 ms/s = 1 % of a core)', unit: 'ms', value: msPerSecond, note: `over ${seconds} s, this machine's own activity being its only load` });
      report.add({ section: SECTION, name: 'Falco idle memory (RSS)', unit: 'MB', value: rssMb(pid) });
    } finally {
      await close();
      await operator.stop();
    }
  } finally {
    rmSync(CANARY, { force: true });
    await cluster.stop();
  }
}
