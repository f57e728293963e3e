/**
 * MCP read tools end to end (an MCP client in this process, the server's real dependencies on
 * the local control plane) beside a bare exec of the same argv into the same pod through the
 * API server with the same KubeConfig — measured alternately in the same runs. Then
 * falco_query_alerts over 10 and 100 Falco pods with 1000 alerts each, beside bare reads of
 * the same logs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { FALCO_CONTAINER, labelsFor } from '../src/api/names.ts';
import { buildMcpDeps } from '../src/cli/commands/mcp-deps.ts';
import { describeRuleArgv, dryRunArgv, listFieldsArgv, listRulesArgv, validateArgv, versionArgv } from '../src/falco/argv.ts';
import type { FalcoArgv } from '../src/falco/argv.ts';
import { createPodExec } from '../src/kube/exec.ts';
import { createPodLogs } from '../src/kube/logs.ts';
import { KubeTransport } from '../src/kube/transport.ts';
import { listFalcoPods } from '../src/kube/pods.ts';
import { PooledKubeConfig } from '../src/kube/pooled-kube-config.ts';
import { silentLogger } from '../src/log/logger.ts';
import { DEFAULT_LIMITS } from '../src/mcp/deps.ts';
import { createMcpServer } from '../src/mcp/server.ts';
import { inParallel } from './cluster.ts';
import type { BenchCluster } from './cluster.ts';
import { writeAlertLogs } from './alert-logs.ts';
import type { Report } from './report.ts';
import { ratio, sideBySide, summarise } from './stats.ts';

const SECTION = '4 MCP';
const INPUTS = new URL('../../shared/falco-outputs/inputs/', import.meta.url).pathname;
const IMAGE = 'falcosecurity/falco:0.42.1';

interface ReadTool {
  name: string;
  args: Record<string, unknown>;
  argv: FalcoArgv;
  stdin?: string;
}

function readTools(node: string): ReadTool[] {
  const rules = readFileSync(join(INPUTS, 'uses_loaded_macros.yaml'), 'utf8');
  return [
    { name: 'falco_get_version', args: { node }, argv: versionArgv() },
    { name: 'falco_list_rules', args: { node, limit: 50 }, argv: listRulesArgv() },
    { name: 'falco_describe_rule', args: { node, rule: 'Terminal shell in container' }, argv: describeRuleArgv('Terminal shell in container') },
    { name: 'falco_list_fields', args: { node, source: 'syscall' }, argv: listFieldsArgv('syscall') },
    { name: 'falco_validate_rules', args: { node, rules, withLoadedRules: true }, argv: validateArgv(), stdin: rules },
    { name: 'falco_dry_run', args: { node }, argv: dryRunArgv() },
  ];
}

async function createFalcoPods(kc: KubeConfig, ns: string, monitor: string, count: number, nodes: readonly string[]): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const names = Array.from({ length: count }, (_, i) => `${monitor}-falco-${i}`);
  await inParallel(names, 8, async (name, i) => {
    await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name, labels: labelsFor(monitor, 'falco') }, spec: { nodeName: nodes[i % nodes.length] ?? '', containers: [{ name: FALCO_CONTAINER, image: IMAGE }] } },
    });
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if ((await listFalcoPods(core, ns, monitor)).filter((p) => p.ready).length >= count) return names;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${count} Falco pods of ${ns}/${monitor} not Ready after 120 s`);
}

async function connect(kc: KubeConfig, ns: string, monitor: string): Promise<{ client: Client; close(): Promise<void> }> {
  const deps = buildMcpDeps(kc, { namespace: ns, monitor, readOnly: true, execTimeoutSeconds: 30 }, silentLogger());
  const server = createMcpServer(deps);
  const client = new Client({ name: 'falconer-bench', version: '1' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(a), server.connect(b)]);
  return { client, close: async () => { await client.close(); await server.close(); } };
}

async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<number> {
  const started = performance.now();
  const r = await client.callTool({ name, arguments: args });
  const ms = performance.now() - started;
  if (r.isError === true) throw new Error(`${name} failed: ${JSON.stringify(r.content).slice(0, 300)}`);
  return ms;
}

export async function benchMcp(bench: BenchCluster, report: Report, options: { quick: boolean }): Promise<void> {
  const { kc } = bench;
  const ns = await bench.createNamespace('bench-mcp');
  const nodes = bench.cluster.nodeNames;
  try {
    const [pod] = await createFalcoPods(kc, ns, 'main', 1, nodes);
    const exec = createPodExec(kc);
    const { client, close } = await connect(kc, ns, 'main');
    const bounds = { runs: options.quick ? 7 : 15, budgetMs: options.quick ? 8_000 : 20_000, warmup: 1, minRuns: 3 };
    try {
      for (const tool of readTools(nodes[0] ?? '')) {
        const series = await sideBySide(
          bounds,
          () => callTool(client, tool.name, tool.args),
          async () => {
            const started = performance.now();
            const r = await exec({ namespace: ns, pod: pod ?? '', container: FALCO_CONTAINER, command: tool.argv, timeoutMs: 30_000, maxOutputBytes: 8 << 20, ...(tool.stdin === undefined ? {} : { stdin: tool.stdin }) });
            if (r.exitCode !== 0 && tool.name !== 'falco_validate_rules') throw new Error(`bare exec of ${tool.argv.join(' ')} exited ${r.exitCode}`);
            return performance.now() - started;
          },
        );
        const toolMs = summarise(series.a);
        const bareMs = summarise(series.b);
        const x = ratio(toolMs, bareMs);
        report.add({ section: SECTION, name: `${tool.name} end to end`, unit: 'ms', value: toolMs });
        report.add({ section: SECTION, name: `  bare exec \`${tool.argv.join(' ')}\``, unit: 'ms', value: bareMs });
        report.add({ section: SECTION, name: '  tool / bare exec', unit: 'x', value: x, goal: { text: '≤ 1.3x', met: x <= 1.3 } });
      }
    } finally {
      await close();
    }
    for (const pods of [10, 100]) await benchAlerts(bench, report, ns, pods, options);
  } finally {
    await bench.deleteNamespace(ns);
  }
}

async function benchAlerts(bench: BenchCluster, report: Report, ns: string, count: number, options: { quick: boolean }): Promise<void> {
  const { kc } = bench;
  const monitor = `alerts${count}`;
  const pods = await createFalcoPods(kc, ns, monitor, count, bench.cluster.nodeNames);
  await writeAlertLogs(kc, ns, pods, 1000);
  const { client, close } = await connect(kc, ns, monitor);
  // The floor: the same logs read the way the tool reads them (same client, limits and
  // concurrency), without parsing, filtering or the MCP round trip.
  // Pooled connections, as the tool's own log reads use (src/mcp/kube-deps.ts).
  const pooled = new PooledKubeConfig(kc);
  const logs = createPodLogs(new KubeTransport(kc));
  const core = pooled.makeApiClient(CoreV1Api);
  try {
    const series = await sideBySide(
      { runs: options.quick ? 3 : 7, budgetMs: options.quick ? 15_000 : 45_000, warmup: 1, minRuns: 2 },
      () => callTool(client, 'falco_query_alerts', { sinceMinutes: 60 }),
      async () => {
        const started = performance.now();
        const found = await listFalcoPods(core, ns, monitor);
        await inParallel(found, DEFAULT_LIMITS.fleetConcurrency, async (p) => {
          await logs({ namespace: ns, pod: p.name, container: FALCO_CONTAINER, tailLines: 5000, sinceSeconds: 3601, limitBytes: DEFAULT_LIMITS.logLimitBytes, timeoutMs: 30_000 });
        });
        return performance.now() - started;
      },
    );
    const tool = summarise(series.a);
    const bare = summarise(series.b);
    report.add({ section: SECTION, name: `falco_query_alerts, ${count} pods × 1000 alerts`, unit: 'ms', value: tool });
    report.add({ section: SECTION, name: `  bare log reads of the same ${count} pods (5 at a time)`, unit: 'ms', value: bare });
    report.add({ section: SECTION, name: '  tool / bare log reads', unit: 'x', value: ratio(tool, bare) });
  } finally {
    await close();
  }
}
