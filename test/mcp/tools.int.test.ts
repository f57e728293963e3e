/**
 * Every MCP tool end to end on the real control plane: exec and logs go through the API
 * server to kwok, whose simulated pods run the test-only stand-in `falco`. The stand-in
 * replays what a real Falco 0.42.1 printed for the same argv and stdin
 * (../shared/falco-outputs); nothing here talks to a real Falco.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { FALCO_CONTAINER } from '../../src/api/names.ts';
import { listRulesArgv } from '../../src/falco/argv.ts';
import { createPodExec } from '../../src/kube/exec.ts';
import { getTestCluster } from '../support/cluster.ts';
import { eventually } from '../support/eventually.ts';
import { OUTPUTS_DIR } from '../support/recorded-falco.ts';
import { MONITOR, clusterDeps, connectClient, createFalcoPod, falcoAlert, waitForReadyPods, writeCriLog } from './int-support.ts';

const input = (name: string): string => readFileSync(join(OUTPUTS_DIR, 'inputs', name), 'utf8');
type Client = Awaited<ReturnType<typeof connectClient>>['client'];

async function ok(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await client.callTool({ name, arguments: args });
  const text = (r.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
  assert.notEqual(r.isError, true, `${name}: ${text}`);
  return r.structuredContent as Record<string, unknown>;
}

async function failure(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const r = await client.callTool({ name, arguments: args });
  assert.equal(r.isError, true, name);
  return (r.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

describe('MCP tools against the local control plane (stand-in falco)', () => {
  let kc: KubeConfig;
  let ns: string;
  let nodes: string[];
  let client: Client;
  let close: () => Promise<void>;
  let cluster: Awaited<ReturnType<typeof getTestCluster>>;

  before(async () => {
    cluster = await getTestCluster();
    kc = cluster.kubeConfig();
    ns = await cluster.createNamespace('mcp');
    nodes = cluster.nodeNames.slice(0, 2);
    await Promise.all(nodes.map((node, i) => createFalcoPod(kc, ns, `${MONITOR}-falco-${i}`, node)));
    await waitForReadyPods(kc, ns, nodes.length);
    ({ client, close } = await connectClient(clusterDeps(kc, ns)));
  });
  after(async () => close?.());

  it('falco_get_version asks every Ready pod of the monitor', async () => {
    const out = await ok(client, 'falco_get_version');
    assert.equal(out['podsQueried'], nodes.length);
    assert.equal(out['consistent'], true);
    const versions = out['versions'] as Array<{ falco: string; pods: unknown[] }>;
    assert.equal(versions[0]?.falco, '0.42.1');
    assert.equal(versions[0]?.pods.length, nodes.length);
  });

  it('falco_list_rules returns the loaded rules; end to end vs a bare exec of the same argv', async () => {
    const exec = createPodExec(kc);
    const bare: number[] = [];
    const tool: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      const r = await exec({ namespace: ns, pod: `${MONITOR}-falco-0`, container: FALCO_CONTAINER, command: listRulesArgv(), timeoutMs: 20_000, maxOutputBytes: 8 << 20 });
      bare.push(performance.now() - t);
      assert.equal(r.exitCode, 0);
      t = performance.now();
      const out = await ok(client, 'falco_list_rules', { limit: 50 });
      tool.push(performance.now() - t);
      assert.equal(out['totalLoaded'], 25);
    }
    process.stderr.write(`falco_list_rules latency (median of 5): MCP tool end to end ${median(tool).toFixed(1)} ms, bare exec ${median(bare).toFixed(1)} ms\n`);
  });

  it('falco_describe_rule describes a loaded rule and explains an unknown one', async () => {
    const out = await ok(client, 'falco_describe_rule', { rule: 'Terminal shell in container', node: nodes[1] });
    assert.equal((out['rule'] as { priority: string }).priority, 'notice');
    assert.equal((out['pod'] as { node: string }).node, nodes[1]);
    assert.match(await failure(client, 'falco_describe_rule', { rule: 'No such rule' }), /"No such rule" is not loaded/);
  });

  it('falco_list_fields parses --list=syscall and rejects an unknown source', async () => {
    const out = await ok(client, 'falco_list_fields', { source: 'syscall', prefix: 'container.' });
    assert.equal(out['origin'], 'falco');
    assert.ok((out['fields'] as Array<{ name: string }>).some((f) => f.name === 'container.image'));
    assert.match(await failure(client, 'falco_list_fields', { source: 'nosuchsource' }), /no event source/);
  });

  it('falco_validate_rules streams the candidate over exec stdin; a failing -V comes back with line and column', async () => {
    const good = await ok(client, 'falco_validate_rules', { rules: input('uses_loaded_macros.yaml') });
    assert.equal((good['falco'] as { valid: boolean }).valid, true);
    const bad = await ok(client, 'falco_validate_rules', { rules: input('uses_loaded_macros_bad.yaml') });
    assert.equal(bad['valid'], false);
    const issue = (bad['falco'] as { issues: Array<{ code: string; line: number; message: string }> }).issues[0];
    assert.equal(issue?.code, 'LOAD_ERR_VALIDATE');
    assert.equal(issue?.line, 1);
    assert.match(issue?.message ?? '', /netcat_started/);
  });

  it('falco_dry_run reports what the pod loads, and rejects a candidate that breaks it', async () => {
    const plain = await ok(client, 'falco_dry_run');
    assert.equal(plain['starts'], true);
    const withBad = await ok(client, 'falco_dry_run', { rules: input('uses_loaded_macros_bad.yaml') });
    assert.equal(withBad['starts'], false);
  });

  it('falco_query_alerts reads the JSON alerts from every pod\'s log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falconer-mcp-logs-'));
    const now = new Date();
    const minutesAgo = (m: number): Date => new Date(now.getTime() - m * 60_000);
    for (const [i, node] of nodes.entries()) {
      const file = join(dir, `falco-${i}.log`);
      writeCriLog(file, [
        { stream: 'stderr', text: 'Falco version: 0.42.1 (x86_64)', time: minutesAgo(30) },
        { stream: 'stdout', text: falcoAlert('Terminal shell in container', 'Notice', minutesAgo(5), { 'k8s.ns.name': 'shop', 'proc.cmdline': 'bash' }, ['shell']), time: minutesAgo(5) },
        { stream: 'stdout', text: falcoAlert('Read sensitive file untrusted', 'Warning', minutesAgo(2 + i), { 'k8s.ns.name': node === nodes[0] ? 'shop' : 'payments' }), time: minutesAgo(2 + i) },
      ]);
      await cluster.setPodLogs(ns, `${MONITOR}-falco-${i}`, FALCO_CONTAINER, file);
    }
    // kwok serves a pod's new log file once it has seen the Logs object: wait for it, not a fixed time.
    let out: Record<string, unknown> = {};
    await eventually('kwok serves the pods\' new logs', async () => {
      out = await ok(client, 'falco_query_alerts', { sinceMinutes: 60 });
      return out['matched'] === 4;
    }, 30_000, 250);
    assert.equal(out['matched'], 4);
    assert.deepEqual(out['byPriority'], [{ priority: 'notice', count: 2 }, { priority: 'warning', count: 2 }]);
    const shop = await ok(client, 'falco_query_alerts', { k8sNamespace: 'payments', minPriority: 'warning' });
    assert.equal(shop['matched'], 1);
  });

  it('reports an exec that outlives its per-call timeout as an error', async () => {
    await cluster.setExecEnv(ns, `${MONITOR}-falco-1`, { FALCONER_STANDIN_DELAY_MS: '5000' });
    try {
      const started = Date.now();
      const text = await failure(client, 'falco_get_version', { node: nodes[1], timeoutSeconds: 1 });
      assert.match(text, /did not finish within 1000 ms/);
      assert.ok(Date.now() - started < 4000);
    } finally {
      await cluster.setExecEnv(ns, `${MONITOR}-falco-1`, { FALCONER_STANDIN_DELAY_MS: '0' });
    }
  });

  it('moves to another Ready pod when the chosen one disappears between resolve and exec', async () => {
    const gone = `${MONITOR}-falco-0`;
    const core = kc.makeApiClient(CoreV1Api);
    const deps = clusterDeps(kc, ns);
    const real = deps.fleet;
    deps.fleet = {
      ...real,
      listPods: async (namespace, monitor, signal) => {
        const pods = await real.listPods(namespace, monitor, signal);
        if (pods.some((p) => p.name === gone && p.ready)) await core.deleteNamespacedPod({ namespace, name: gone, gracePeriodSeconds: 0 });
        return pods;
      },
    };
    const c = await connectClient(deps);
    try {
      const out = await ok(c.client, 'falco_list_rules', { limit: 1, timeoutSeconds: 10 });
      assert.equal((out['pod'] as { pod: string }).pod, `${MONITOR}-falco-1`);
    } finally {
      await c.close();
    }
  });
});
